"""The organisers' admin: what course owners, check-in helpers and network admins do in Wagtail.

One module per concern: who may do what (`permissions`), the list filters (`filters`), the export rows and files
(`exports`), the forms (`forms`), and one viewset per screen: `participants`, `occasions`, `checkin`, `reports`
(with the figures in `figures`) and `outbox`. Registered from enrolment/wagtail_hooks.py.

Enrolment data lives outside the page tree, so Wagtail's page permissions do not reach it: every queryset here
starts from `access.occasions_for(user)` (a course owner's own centre, everything for network admins), so
another centre's ids give 404, and people without a role get Wagtail's permission-denied page. Changes go
through `enrolment.services`, never a plain model form, so seats, the waiting list, the audit log and the
e-mails stay right.
"""
