"""iCalendar files for occasions: one per occasion and a feed for a filtered catalogue (RFC 5545)."""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from accounts.site import network_name, sender_address

PRODID = "-//ATMP-centres Sweden//ATMP Courses//SV"


def occasion_event(course, occasion, request=None, sequence=None, attendee=None, cancelled=False):
    """One VEVENT. Its UID is the occasion's for life and SEQUENCE its announced version, so calendars
    update (or, with `cancelled`, remove) the event they already have instead of adding another."""
    event = Event()
    event.add("uid", occasion.ical_uid)
    event.add("dtstamp", timezone.now())
    # Local times with a VTIMEZONE, so calendars show 09.00 Stockholm time whatever the DST rules do.
    event.add("dtstart", timezone.localtime(occasion.start))
    event.add("dtend", timezone.localtime(occasion.end))
    event.add("summary", course.title)
    event.add("description", course.summary)
    event.add("sequence", occasion.ical_sequence if sequence is None else sequence)
    url = course.get_full_url(request)
    if url:
        event.add("url", url.removesuffix(course.get_url(request)) + course.occasion_url(occasion, request))
    location = (
        _("Online")
        if occasion.mode == "online"
        else ", ".join(part for part in (occasion.venue, occasion.address, occasion.city) if part)
    )
    if location:
        event.add("location", vText(location))
    event.add("status", "CANCELLED" if cancelled or occasion.is_cancelled else "CONFIRMED")
    if attendee:
        # iTIP (RFC 5546) invitations name the organiser and the attendee.
        # The organiser is the network, named in the language the invitation is written in.
        organizer = vCalAddress(f"mailto:{sender_address()}")
        organizer.params["cn"] = vText(network_name())
        event.add("organizer", organizer)
        guest = vCalAddress(f"mailto:{attendee}")
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", guest)
    return event


def occasion_calendar(pairs, request=None, name=None, method="PUBLISH", sequence=None, attendee=None, cancelled=False):
    """A calendar with one event per (course page, occasion) pair."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Stockholm")
        calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for course, occasion in pairs:
        calendar.add_component(
            occasion_event(course, occasion, request=request, sequence=sequence, attendee=attendee, cancelled=cancelled)
        )
    # The time zone's rules for the years the events fall in (a year either side), not 1970–2038: the same for
    # every calendar program, and a fraction of the work (most of a confirmation e-mail's rendering before).
    starts = [occasion.start.date() for _course, occasion in pairs]
    if starts:
        first, last = min(starts), max(occasion.end.date() for _course, occasion in pairs)
        calendar.add_missing_timezones(
            first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366)
        )
    return calendar


def calendar_response(calendar, filename, inline=False):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
