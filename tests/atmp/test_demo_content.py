"""The demo's data files: every course and page reads in both languages and names only what the demo defines."""

from atmp.demo import content


def test_every_course_names_known_centres_topics_and_audiences_in_both_languages():
    demo = content.load()
    centres = {centre["slug"] for centre in demo.centres}
    topics = {topic["slug"] for topic in demo.topics}
    audiences = {audience["slug"] for audience in demo.audiences}

    assert len(demo.courses) == len({course["sv"]["slug"] for course in demo.courses}) > 30
    for course in demo.courses:
        assert set(course["centres"]) <= centres
        assert set(course["topics"]) <= topics
        assert set(course["audiences"]) <= audiences
        assert set(course.get("rules", {}).get("eligible_professions", [])) <= audiences
        sv, en = course["sv"], course["en"]
        assert sv["title"] and en["title"] and sv["slug"] != en["slug"]
        # The English page is a translation: the same blocks, in the same order.
        assert [block["type"] for block in sv["body"]] == [block["type"] for block in en["body"]]


def test_pages_and_questions_are_in_both_languages():
    demo = content.load()

    assert [page["sv"]["slug"] for page in demo.pages][-1] == "personuppgifter"
    for page in demo.pages:
        assert page["sv"]["title"] and page["en"]["title"]
    questions = [q for course in demo.courses for q in course.get("rules", {}).get("questions", [])]
    assert questions
    for question in questions:
        assert len(question["sv"]["choices"]) == len(question["en"]["choices"])
