"""templates over the protocol: every validation rule of issue 3 ("templates" section and the
references it takes part in), each limit on both sides of its boundary, the review status, the render
refusals, the list filters and the deletions refused while something refers to a template or a number.

Rules: docs/families/templates.md, docs/configuration.md. Each test works in a fresh tenant with a
group and a WhatsApp number (render_helpers.TemplateTenant), so tests never see each other's data.
"""

from __future__ import annotations

import pytest

from render_helpers import (TemplateTenant, call_raw, fail, invalid, new_number, new_tenant, ok,
                            paths)

STATUSES = ["PENDING", "APPROVED", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL", "FLAGGED", "ARCHIVED",
            "PENDING_DELETION", "DELETED", "LIMIT_EXCEEDED", "LOCKED", "REINSTATED"]


@pytest.fixture
def t(conn) -> TemplateTenant:
    return TemplateTenant(conn)


def body(text, examples=None) -> dict:
    member = {"text": text}
    if examples is not None:
        member["examples"] = examples
    return member


def qr(text="Yes") -> dict:
    return {"type": "QUICK_REPLY", "text": text}


def url_button(url="https://www.example.com/shop", text="Open", example=None) -> dict:
    button = {"type": "URL", "text": text, "url": url}
    if example is not None:
        button["example"] = example
    return button


def phone_button(number="+420601123456", text="Call us") -> dict:
    return {"type": "PHONE_NUMBER", "text": text, "phone_number": number}


def copy_code(example="SAVE10") -> dict:
    return {"type": "COPY_CODE", "example": example}


OTP = {"type": "OTP"}
# An AUTHENTICATION template's body as Meta takes it: its preset text, with the security sentence or not.
AUTH_BODY = {"add_security_recommendation": True}
APP = {"package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"}


def https_url(length: int) -> str:
    prefix = "https://cdn.example.com/"
    return prefix + "a" * (length - len(prefix))


# ---------------------------------------------------------------- accepted templates and defaults


def test_minimal_template_is_stored_with_defaults(t):
    created = t.create(name="plain_notice")
    assert created["id"].startswith("tpl_")
    assert created["tenant_id"] == t.tenant_id
    assert created["whatsapp_number_id"] == t.number_id
    assert created["name"] == "plain_notice"
    assert created["parameter_format"] == "POSITIONAL"
    assert created["components"] == {"body": {"text": "Hello there.", "examples": {}}, "buttons": []}
    assert created["status"] == "PENDING"
    assert created["status_reason"] is None and created["approved_at"] is None
    assert created["message_send_ttl_seconds"] is None, "Meta's default time-to-live"
    assert "warnings" not in created
    assert ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=created["id"]) == created


def test_documented_example_is_stored_normalised(t):
    components = {
        "header": {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "12345"}},
        "body": body("Hello {{1}}, your order arrives on {{2}}.", {"1": "Jan", "2": "Friday"}),
        "footer": {"text": "Acme s.r.o."},
        "buttons": [qr("Thanks"), url_button("https://track.example.com/t/{{1}}", "Track", "abc123"),
                    phone_button("+420 601 123 456")]}
    created = t.create(name="order_shipped", language="en_US", category="UTILITY", components=components)
    expected = dict(components)
    expected["buttons"] = components["buttons"][:2] + [phone_button("+420601123456")]
    assert created["components"] == expected
    assert created["parameter_format"] == "POSITIONAL"
    assert "warnings" not in created


# ---------------------------------------------------------------- required and unknown members


@pytest.mark.parametrize("member", ["whatsapp_number_id", "name", "language", "category", "components"])
def test_required_members(t, member):
    assert t.refused(**{member: None}) == {member}


def test_body_is_required(t):
    assert t.refused(components={"footer": {"text": "Acme"}}) == {"components.body"}


def test_unknown_members_are_reported_at_every_level(t):
    assert t.refused(colour="red") == {"colour"}
    assert t.refused(components={"body": {"text": "Hi"}, "Header": {"format": "TEXT", "text": "x"}}) == {"components.Header"}
    assert t.refused(components={"body": {"text": "Hi", "extra": 1}}) == {"components.body.extra"}
    assert t.refused(components=t.components(footer={"text": "x", "bold": True})) == {"components.footer.bold"}
    assert t.refused(components=t.components(buttons=[{"type": "QUICK_REPLY", "text": "x", "payload": "y"}])) == {
        "components.buttons[0].payload"}


def test_every_problem_is_reported_at_once(t):
    assert t.refused(name="Bad-Name", language="en-US", category="PROMO", parameter_format="NUMBERED",
                     components={"body": {"text": ""}, "footer": {"text": "{{1}}"}}) == {
        "name", "language", "category", "parameter_format", "components.body.text", "components.footer.text"}


# ---------------------------------------------------------------- name, language, category, parameter_format


@pytest.mark.parametrize("name", ["a", "0", "order_shipped", "x_1_y_2", "_", "a" * 512])
def test_name_accepted(t, name):
    assert t.create(name=name)["name"] == name


def test_name_is_trimmed(t):
    assert t.create(name="  spaced_name  ")["name"] == "spaced_name"


@pytest.mark.parametrize("name", ["", "   ", "Order", "order-shipped", "order shipped", "objednávka", "order.v2",
                                  "a" * 513, "tab\tname"])
def test_name_refused(t, name):
    assert t.refused(name=name) == {"name"}


def test_name_must_be_a_string(t):
    assert t.refused(name=42) == {"name"}


@pytest.mark.parametrize("language", ["cs", "en", "fil", "en_US", "pt_BR", "zh_CN"])
def test_language_accepted(t, language):
    assert t.create(language=language)["language"] == language


@pytest.mark.parametrize("language", ["", "e", "engl", "EN", "En", "en-US", "en_us", "en_USA", "en_U", "en_", "cs ",
                                      "c1"])
def test_language_refused(t, language):
    assert t.refused(language=language) == {"language"}


@pytest.mark.parametrize("category", ["MARKETING", "UTILITY"])
def test_category_accepted(t, category):
    assert t.create(category=category)["category"] == category


def test_category_authentication_accepted_with_its_button(t):
    created = t.create(category="AUTHENTICATION", components={"body": AUTH_BODY, "buttons": [OTP]})
    assert created["category"] == "AUTHENTICATION"


# Meta's time-to-live page: AUTHENTICATION 30-900, UTILITY 30-43200, MARKETING 43200-2592000, and -1
# (Meta's 30 days) for AUTHENTICATION and UTILITY only.
TTL_CASES = [
    ("AUTHENTICATION", [30, 900, -1], [29, 901, 0, -2, 43200]),
    ("UTILITY", [30, 43200, -1], [29, 43201]),
    ("MARKETING", [43200, 2592000], [43199, 2592001, -1, 120]),
]


@pytest.mark.parametrize("category,accepted,refused", TTL_CASES)
def test_message_send_ttl_seconds_by_category(t, category, accepted, refused):
    components = {"body": AUTH_BODY, "buttons": [OTP]} if category == "AUTHENTICATION" else None
    extra = {"components": components} if components else {}
    for seconds in accepted:
        assert t.create(category=category, message_send_ttl_seconds=seconds, **extra)["message_send_ttl_seconds"] == seconds
    for seconds in refused:
        assert t.refused(category=category, message_send_ttl_seconds=seconds, **extra) == {"message_send_ttl_seconds"}
    assert t.refused(category=category, message_send_ttl_seconds="600", **extra) == {"message_send_ttl_seconds"}


def test_message_send_ttl_seconds_is_checked_again_when_the_category_changes(t):
    created = t.create(category="UTILITY", message_send_ttl_seconds=600)
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED")
    update = call_raw(t.conn, "templates.update", {"tenant_id": t.tenant_id, "id": created["id"], "category": "MARKETING"})
    assert paths(update["error"]) == {"message_send_ttl_seconds"}
    cleared = ok(t.conn, "templates.update", tenant_id=t.tenant_id, id=created["id"], message_send_ttl_seconds=None)
    assert cleared["message_send_ttl_seconds"] is None


@pytest.mark.parametrize("category", ["marketing", "TRANSACTIONAL", "OTP", ""])
def test_category_refused(t, category):
    assert t.refused(category=category) == {"category"}


def test_parameter_format_named_accepted(t):
    created = t.create(parameter_format="NAMED", components={"body": body("Hi {{first_name}}!", {"first_name": "Jan"})})
    assert created["parameter_format"] == "NAMED"


@pytest.mark.parametrize("value", ["named", "NUMBERED", ""])
def test_parameter_format_refused(t, value):
    assert t.refused(parameter_format=value) == {"parameter_format"}


# ---------------------------------------------------------------- whatsapp_number_id


def test_number_id_must_be_well_formed(t):
    assert t.refused(whatsapp_number_id="wan_123") == {"whatsapp_number_id"}
    assert t.refused(whatsapp_number_id="grp_01JD8X5B2C3D4E5F6G7H8J9K0M") == {"whatsapp_number_id"}


def test_number_of_another_tenant_is_reported_as_not_found(t):
    other_tenant = new_tenant(t.conn)
    foreign = new_number(t.conn, other_tenant)
    missing = "wan_" + "0" * 26
    foreign_error = fail(t.conn, "templates.create", -32004, **t.params(whatsapp_number_id=foreign))
    missing_error = fail(t.conn, "templates.create", -32004, **t.params(whatsapp_number_id=missing))
    assert foreign_error["message"].replace(foreign, "ID") == missing_error["message"].replace(missing, "ID")
    assert foreign_error["data"]["id"] == foreign and missing_error["data"]["id"] == missing
    assert foreign_error["data"]["type"] == missing_error["data"]["type"]
    assert ok(t.conn, "templates.list", tenant_id=other_tenant)["items"] == []


# ---------------------------------------------------------------- header


def test_header_text_accepted_at_60_characters_with_one_variable(t):
    text = "x" * 55 + "{{1}}"
    created = t.create(components=t.components(header={"format": "TEXT", "text": text, "examples": {"1": "v"}}))
    assert created["components"]["header"] == {"format": "TEXT", "text": text, "examples": {"1": "v"}}
    assert t.create(components=t.components(header={"format": "TEXT", "text": "č" * 60}))


@pytest.mark.parametrize("text", ["x" * 61, "č" * 61, "x" * 56 + "{{1}}", ""])
def test_header_text_length_refused(t, text):
    examples = {"1": "v"} if "{{1}}" in text else None
    header = {"format": "TEXT", "text": text}
    if examples:
        header["examples"] = examples
    assert t.refused(components=t.components(header=header)) == {"components.header.text"}


def test_header_text_at_most_one_variable(t):
    header = {"format": "TEXT", "text": "{{1}} and {{2}}", "examples": {"1": "a", "2": "b"}}
    assert t.refused(components=t.components(header=header)) == {"components.header.text"}


def test_header_text_one_repeated_variable_is_one_variable(t):
    header = {"format": "TEXT", "text": "{{1}} / {{1}}", "examples": {"1": "a"}}
    assert t.create(components=t.components(header=header))


def test_header_text_is_one_line(t):
    assert t.refused(components=t.components(header={"format": "TEXT", "text": "two\nlines"})) == {
        "components.header.text"}


def test_header_text_variable_needs_an_example(t):
    assert t.refused(components=t.components(header={"format": "TEXT", "text": "Order {{1}}"})) == {
        "components.header.examples.1"}


def test_header_example_at_most_60_characters(t):
    ok_header = {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "x" * 60}}
    assert t.create(components=t.components(header=ok_header))
    long_header = {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "x" * 61}}
    assert t.refused(components=t.components(header=long_header)) == {"components.header.examples.1"}


@pytest.mark.parametrize("fmt", ["AUDIO", "text", "STICKER", ""])
def test_header_format_refused(t, fmt):
    assert t.refused(components=t.components(header={"format": fmt})) == {"components.header.format"}


def test_header_format_required(t):
    assert t.refused(components=t.components(header={"text": "Hi"})) == {"components.header.format"}


@pytest.mark.parametrize("fmt", ["IMAGE", "VIDEO", "DOCUMENT"])
def test_media_header_accepted_with_https_example_url(t, fmt):
    url = https_url(2000)
    created = t.create(components=t.components(header={"format": fmt, "example_url": url}))
    assert created["components"]["header"] == {"format": fmt, "example_url": url}


@pytest.mark.parametrize("fmt", ["IMAGE", "VIDEO", "DOCUMENT"])
def test_media_header_needs_an_example_url(t, fmt):
    assert t.refused(components=t.components(header={"format": fmt})) == {"components.header.example_url"}


@pytest.mark.parametrize("url", ["http://cdn.example.com/a.png", "ftp://cdn.example.com/a.png", "cdn.example.com/a.png",
                                 "https://", "data:image/png;base64,AAAA", "", https_url(2001)])
@pytest.mark.parametrize("fmt", ["IMAGE", "VIDEO", "DOCUMENT"])
def test_media_header_example_url_refused(t, fmt, url):
    assert t.refused(components=t.components(header={"format": fmt, "example_url": url})) == {
        "components.header.example_url"}


def test_header_members_of_another_format_are_unknown(t):
    assert t.refused(components=t.components(
        header={"format": "TEXT", "text": "Hi", "example_url": "https://cdn.example.com/a.png"})) == {
        "components.header.example_url"}
    assert t.refused(components=t.components(
        header={"format": "IMAGE", "example_url": "https://cdn.example.com/a.png", "text": "Hi"})) == {
        "components.header.text"}
    assert t.refused(components=t.components(header={"format": "LOCATION", "text": "Hi"})) == {"components.header.text"}


@pytest.mark.parametrize("category", ["MARKETING", "UTILITY"])
def test_location_header_accepted(t, category):
    created = t.create(category=category, components=t.components(header={"format": "LOCATION"}))
    assert created["components"]["header"] == {"format": "LOCATION"}


def test_headers_refused_in_authentication(t):
    for header in [{"format": "LOCATION"}, {"format": "TEXT", "text": "Hi"}, {"format": "IMAGE", "example_url": "https://a.example/i.jpg"}]:
        components = {"header": header, "body": AUTH_BODY, "buttons": [OTP]}
        assert t.refused(category="AUTHENTICATION", components=components) == {"components.header"}


# ---------------------------------------------------------------- body


@pytest.mark.parametrize("text", ["x" * 1024, "č" * 1024, "😀" * 1024, "line one\nline two\n\nline four"])
def test_body_accepted(t, text):
    assert t.create(components={"body": {"text": text}})["components"]["body"]["text"] == text


def test_body_is_trimmed(t):
    assert t.create(components={"body": {"text": "  Hello.  \n"}})["components"]["body"]["text"] == "Hello."


@pytest.mark.parametrize("text", ["", "   ", "x" * 1025, "č" * 1025, "😀" * 1025, "bell\u0007", "nul\u0000", "esc\u001b",
                                  "del\u007f", "c1\u009b."])
def test_body_refused(t, text):
    assert t.refused(components={"body": {"text": text}}) == {"components.body.text"}


def test_body_refuses_a_tab(t):
    assert t.refused(components={"body": {"text": "Price:\t100 CZK"}}) == {"components.body.text"}


def test_body_text_required(t):
    assert t.refused(components={"body": {}}) == {"components.body.text"}


# ---------------------------------------------------------------- footer


def test_footer_accepted_at_60_characters(t):
    assert t.create(components=t.components(footer={"text": "ž" * 60}))["components"]["footer"] == {"text": "ž" * 60}


@pytest.mark.parametrize("text", ["x" * 61, "", "  ", "two\nlines", "Hi {{1}}", "{{name}}", "open {{", "close }}",
                                  "{{}}"])
def test_footer_refused(t, text):
    assert t.refused(components=t.components(footer={"text": text})) == {"components.footer.text"}


def test_footer_takes_no_examples(t):
    assert t.refused(components=t.components(footer={"text": "Hi {{1}}", "examples": {"1": "x"}})) == {
        "components.footer.text", "components.footer.examples"}


# ---------------------------------------------------------------- buttons: counts


def test_ten_buttons_accepted(t):
    buttons = [qr(f"Option {i}") for i in range(10)]
    assert t.create(components=t.components(buttons=buttons))["components"]["buttons"] == buttons


def test_eleven_buttons_refused(t):
    buttons = [qr(f"Option {i}") for i in range(11)]
    assert t.refused(components=t.components(buttons=buttons)) == {"components.buttons"}


def test_ten_buttons_with_every_type_accepted(t):
    buttons = [qr(f"Q{i}") for i in range(6)] + [url_button(), url_button("https://www.example.com/b", "Other"),
                                                   phone_button(), copy_code()]
    assert len(t.create(components=t.components(buttons=buttons))["components"]["buttons"]) == 10


def test_eleven_quick_replies_refused(t):
    """The QUICK_REPLY limit (10) coincides with the limit of all buttons: 11 are refused either way."""
    assert t.refused(components=t.components(buttons=[qr(f"Q{i}") for i in range(11)])) == {"components.buttons"}


def test_two_url_buttons_accepted_third_refused(t):
    two = [url_button("https://a.example.com/x", "A"), url_button("https://b.example.com/y", "B")]
    assert t.create(components=t.components(buttons=two))
    three = two + [url_button("https://c.example.com/z", "C")]
    assert t.refused(components=t.components(buttons=three)) == {"components.buttons[2].type"}


def test_one_phone_button_accepted_second_refused(t):
    assert t.create(components=t.components(buttons=[phone_button()]))
    assert t.refused(components=t.components(buttons=[phone_button(), phone_button("+420601123457", "Other")])) == {
        "components.buttons[1].type"}


def test_one_copy_code_accepted_second_refused(t):
    assert t.create(components=t.components(buttons=[copy_code()]))
    assert t.refused(components=t.components(buttons=[copy_code(), copy_code("OTHER")])) == {"components.buttons[1].type"}


def test_every_button_past_a_limit_is_reported(t):
    buttons = [url_button("https://a.example.com/", "A"), url_button("https://b.example.com/", "B"),
               url_button("https://c.example.com/", "C"), url_button("https://d.example.com/", "D"),
               phone_button(), phone_button("+420601123457", "Other")]
    assert t.refused(components=t.components(buttons=buttons)) == {
        "components.buttons[2].type", "components.buttons[3].type", "components.buttons[5].type"}


def test_buttons_must_be_an_array_of_objects(t):
    assert t.refused(components=t.components(buttons={"type": "QUICK_REPLY"})) == {"components.buttons"}
    assert t.refused(components=t.components(buttons=["QUICK_REPLY"])) == {"components.buttons[0]"}


@pytest.mark.parametrize("type_", ["quick_reply", "CALL", "FLOW", ""])
def test_button_type_refused(t, type_):
    assert t.refused(components=t.components(buttons=[{"type": type_, "text": "Hi"}])) == {"components.buttons[0].type"}


def test_button_type_required(t):
    assert t.refused(components=t.components(buttons=[{"text": "Hi"}])) == {"components.buttons[0].type"}


# ---------------------------------------------------------------- buttons: text


@pytest.mark.parametrize("make", [qr, lambda text: url_button(text=text), lambda text: phone_button(text=text)],
                         ids=["QUICK_REPLY", "URL", "PHONE_NUMBER"])
def test_button_text_accepted_at_1_and_25_characters(t, make):
    for text in ["x", "ř" * 25]:
        assert t.create(components=t.components(buttons=[make(text)]))["components"]["buttons"][0]["text"] == text


@pytest.mark.parametrize("text", ["", "   ", "x" * 26, "ř" * 26, "two\nlines"])
@pytest.mark.parametrize("make", [qr, lambda text: url_button(text=text), lambda text: phone_button(text=text)],
                         ids=["QUICK_REPLY", "URL", "PHONE_NUMBER"])
def test_button_text_refused(t, make, text):
    assert t.refused(components=t.components(buttons=[make(text)])) == {"components.buttons[0].text"}


def test_button_text_trimmed_and_required(t):
    assert t.create(components=t.components(buttons=[qr("  Yes  ")]))["components"]["buttons"] == [qr("Yes")]
    assert t.refused(components=t.components(buttons=[{"type": "QUICK_REPLY"}])) == {"components.buttons[0].text"}


# ---------------------------------------------------------------- buttons: URL


def test_url_button_with_suffix_variable_accepted(t):
    button = url_button("https://track.example.com/t/{{1}}", "Track", "abc123")
    assert t.create(components=t.components(buttons=[button]))["components"]["buttons"] == [button]


@pytest.mark.parametrize("url", ["https://x.example?q={{1}}", "https://x.example#{{1}}", "https://x.example/{{1}}"])
def test_url_variable_after_the_host_accepted(t, url):
    assert t.create(components=t.components(buttons=[url_button(url, example="abc")]))


@pytest.mark.parametrize("url", ["http://www.example.com/", "ftp://www.example.com/", "www.example.com",
                                 "javascript:alert(1)", "https://", "https://x.example/a b", ""])
def test_url_must_be_https(t, url):
    assert t.refused(components=t.components(buttons=[url_button(url)])) == {"components.buttons[0].url"}


def test_url_at_most_2000_characters(t):
    assert t.create(components=t.components(buttons=[url_button(https_url(2000))]))
    assert t.refused(components=t.components(buttons=[url_button(https_url(2001))])) == {"components.buttons[0].url"}


def test_url_with_variable_at_most_2000_characters(t):
    url = https_url(1995) + "{{1}}"
    assert t.create(components=t.components(buttons=[url_button(url, example="abcde")]))
    assert t.refused(components=t.components(buttons=[url_button(https_url(1996) + "{{1}}", example="a")])) == {
        "components.buttons[0].url"}


@pytest.mark.parametrize("url", ["https://x.example/{{1}}/page", "https://x.example/{{1}}/{{1}}",
                                 "https://x.example/{{1}}{{2}}", "https://x.example/t/{{2}}", "https://{{1}}",
                                 "https://x.example/{{name}}", "https://x.example/{{1}}x"])
def test_url_at_most_one_variable_only_at_the_end_after_the_host(t, url):
    assert t.refused(components=t.components(buttons=[url_button(url, example="abc")])) == {"components.buttons[0].url"}


def test_url_example_required_exactly_with_the_variable(t):
    assert t.refused(components=t.components(buttons=[url_button("https://x.example/t/{{1}}")])) == {
        "components.buttons[0].example"}
    assert t.refused(components=t.components(buttons=[url_button("https://x.example/t/", example="abc")])) == {
        "components.buttons[0].example"}


@pytest.mark.parametrize("example", ["", "a b", "tab\there"])
def test_url_example_refused(t, example):
    button = url_button("https://x.example/t/{{1}}", example=example)
    assert t.refused(components=t.components(buttons=[button])) == {"components.buttons[0].example"}


def test_url_example_fills_the_url_to_at_most_2000_characters(t):
    url = https_url(1995) + "{{1}}"
    assert t.create(components=t.components(buttons=[url_button(url, example="a" * 5)]))
    assert t.refused(components=t.components(buttons=[url_button(url, example="a" * 6)])) == {
        "components.buttons[0].example"}


# ---------------------------------------------------------------- buttons: PHONE_NUMBER


@pytest.mark.parametrize("raw,stored", [("+420601123456", "+420601123456"), ("+420 601 123 456", "+420601123456"),
                                        ("+1 (415) 555-0100", "+14155550100"), ("+1234567", "+1234567"),
                                        ("+123456789012345", "+123456789012345")])
def test_phone_number_accepted_and_normalised(t, raw, stored):
    created = t.create(components=t.components(buttons=[phone_button(raw)]))
    assert created["components"]["buttons"][0]["phone_number"] == stored


@pytest.mark.parametrize("raw", ["420601123456", "00420601123456", "+0420601123456", "+123456", "+1234567890123456",
                                 "+420 601 ABC", "tel:+420601123456", ""])
def test_phone_number_refused(t, raw):
    assert t.refused(components=t.components(buttons=[phone_button(raw)])) == {"components.buttons[0].phone_number"}


def test_phone_number_required(t):
    assert t.refused(components=t.components(buttons=[{"type": "PHONE_NUMBER", "text": "Call"}])) == {
        "components.buttons[0].phone_number"}


# ---------------------------------------------------------------- buttons: COPY_CODE and OTP


@pytest.mark.parametrize("example", ["A", "X" * 15])
def test_copy_code_example_accepted(t, example):
    created = t.create(components=t.components(buttons=[copy_code(example)]))
    assert created["components"]["buttons"] == [copy_code(example)]


@pytest.mark.parametrize("example", ["", "X" * 16, "SAVE 10", "SAVE\t10"])
def test_copy_code_example_refused(t, example):
    assert t.refused(components=t.components(buttons=[copy_code(example)])) == {"components.buttons[0].example"}


def test_copy_code_example_required_and_text_unknown(t):
    assert t.refused(components=t.components(buttons=[{"type": "COPY_CODE"}])) == {"components.buttons[0].example"}
    assert t.refused(components=t.components(buttons=[{"type": "COPY_CODE", "example": "A1", "text": "Copy"}])) == {
        "components.buttons[0].text"}


def test_copy_code_not_in_utility(t):
    assert t.refused(category="UTILITY", components=t.components(buttons=[qr(), copy_code()])) == {
        "components.buttons[1].type"}
    assert t.create(category="MARKETING", components=t.components(buttons=[qr(), copy_code()]))


@pytest.mark.parametrize("category", ["MARKETING", "UTILITY"])
def test_otp_only_in_authentication(t, category):
    assert t.refused(category=category, components=t.components(buttons=[OTP])) == {"components.buttons[0].type"}


def test_otp_defaults(t):
    created = t.create(category="AUTHENTICATION", components={"body": {}, "buttons": [OTP]})
    assert created["components"] == {"body": {"add_security_recommendation": False},
                                     "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]}


def test_otp_type_unknown_refused(t):
    components = {"body": AUTH_BODY, "buttons": [{"type": "OTP", "otp_type": "SMS"}]}
    assert t.refused(category="AUTHENTICATION", components=components) == {"components.buttons[0].otp_type"}


# ---------------------------------------------------------------- AUTHENTICATION in Meta's shape (issue 15)
# Meta's create payloads (authentication-templates pages): the body is Meta's preset text, the footer
# only code_expiration_minutes, one OTP button; ONE_TAP/ZERO_TAP name supported_apps.


def test_authentication_copy_code_as_meta_creates_it(t):
    created = t.create(category="AUTHENTICATION", message_send_ttl_seconds=60, components={
        "body": {"add_security_recommendation": True}, "footer": {"code_expiration_minutes": 10},
        "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]})
    assert created["components"] == {"body": {"add_security_recommendation": True}, "footer": {"code_expiration_minutes": 10},
                                     "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]}
    got = ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=created["id"])
    assert got["components"] == created["components"]


def test_authentication_one_tap_and_zero_tap_as_meta_creates_them(t):
    one = t.create(category="AUTHENTICATION", components={"body": AUTH_BODY, "footer": {"code_expiration_minutes": 5}, "buttons": [
        {"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy Code", "autofill_text": "Autofill", "supported_apps": [APP]}]})
    assert one["components"]["buttons"] == [{"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy Code", "autofill_text": "Autofill",
                                             "supported_apps": [APP]}]
    zero = t.create(category="AUTHENTICATION", components={"body": AUTH_BODY, "buttons": [
        {"type": "OTP", "otp_type": "ZERO_TAP", "zero_tap_terms_accepted": True, "supported_apps": [APP, dict(APP, package_name="com.example.other")]}]})
    assert zero["components"]["buttons"][0]["zero_tap_terms_accepted"] is True
    assert len(zero["components"]["buttons"][0]["supported_apps"]) == 2


@pytest.mark.parametrize("button,paths", [
    ({"type": "OTP", "otp_type": "ONE_TAP"}, {"components.buttons[0].supported_apps"}),
    ({"type": "OTP", "otp_type": "ZERO_TAP", "supported_apps": [APP]}, {"components.buttons[0].zero_tap_terms_accepted"}),
    ({"type": "OTP", "otp_type": "ZERO_TAP", "supported_apps": [APP], "zero_tap_terms_accepted": False}, {"components.buttons[0].zero_tap_terms_accepted"}),
    ({"type": "OTP", "supported_apps": [APP]}, {"components.buttons[0].supported_apps"}),
    ({"type": "OTP", "autofill_text": "Fill"}, {"components.buttons[0].autofill_text"}),
    ({"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": [APP] * 6}, {"components.buttons[0].supported_apps"}),
    ({"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": [{"package_name": "shrub", "signature_hash": "K8a/AINcGX7"}]},
     {"components.buttons[0].supported_apps[0].package_name"}),
    ({"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": [{"package_name": "com.example.shrub", "signature_hash": "K8a/AINcGX"}]},
     {"components.buttons[0].supported_apps[0].signature_hash"}),
    ({"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": [{"package_name": "com.example.shrub"}]},
     {"components.buttons[0].supported_apps[0].signature_hash"}),
    ({"type": "OTP", "text": "Copy \U0001F511"}, {"components.buttons[0].text"}),
    ({"type": "OTP", "text": "https://x.example"}, {"components.buttons[0].text"}),
    ({"type": "OTP", "text": "c" * 26}, {"components.buttons[0].text"}),
], ids=["one_tap_no_apps", "zero_tap_no_terms", "zero_tap_terms_false", "copy_code_with_apps", "copy_code_autofill",
        "six_apps", "bad_package", "bad_hash", "missing_hash", "emoji", "url", "long_text"])
def test_authentication_button_rules(t, button, paths):
    assert t.refused(category="AUTHENTICATION", components={"body": AUTH_BODY, "buttons": [button]}) == paths


@pytest.mark.parametrize("components,paths", [
    ({"body": body("Your code is {{1}}.", {"1": "123456"}), "buttons": [OTP]}, {"components.body.text", "components.body.examples"}),
    ({"body": AUTH_BODY, "footer": {"text": "Expires soon"}, "buttons": [OTP]}, {"components.footer.text"}),
    ({"body": AUTH_BODY, "footer": {"code_expiration_minutes": 0}, "buttons": [OTP]}, {"components.footer.code_expiration_minutes"}),
    ({"body": AUTH_BODY, "footer": {"code_expiration_minutes": 91}, "buttons": [OTP]}, {"components.footer.code_expiration_minutes"}),
    ({"body": {"add_security_recommendation": "yes"}, "buttons": [OTP]}, {"components.body.add_security_recommendation"}),
    ({"buttons": [OTP]}, {"components.body"}),
], ids=["free_text_body", "footer_text", "expiry_0", "expiry_91", "security_not_bool", "no_body"])
def test_authentication_preset_text_rules(t, components, paths):
    assert t.refused(category="AUTHENTICATION", components=components) == paths


def test_authentication_render_is_the_send_meta_requires(t):
    created = t.create(category="AUTHENTICATION", language="en_US", components={
        "body": AUTH_BODY, "footer": {"code_expiration_minutes": 10}, "buttons": [OTP]})
    rendered = ok(t.conn, "templates.render", tenant_id=t.tenant_id, id=created["id"], parameters={"code": "J$FpnYnP"})
    parameter = [{"type": "text", "text": "J$FpnYnP"}]
    assert rendered["whatsapp"]["components"] == [
        {"type": "body", "parameters": parameter},
        {"type": "button", "sub_type": "url", "index": "0", "parameters": parameter}]
    assert rendered["text"].startswith("*J$FpnYnP* is your verification code. For your security, do not share this code.")
    for parameters, path in [({}, "parameters.code"), ({"code": "1234567890123456"}, "parameters.code"),
                             ({"code": "123 456"}, "parameters.code"), ({"code": "1", "buttons": {"0": {"code": "1"}}}, "parameters.buttons")]:
        error = fail(t.conn, "templates.render", -32602, tenant_id=t.tenant_id, id=created["id"], parameters=parameters)
        assert {issue["path"] for issue in error["data"]["errors"]} == {path}


# ---------------------------------------------------------------- AUTHENTICATION: exactly one OTP/COPY_CODE button


def auth(t, buttons):
    return dict(category="AUTHENTICATION", components={"body": AUTH_BODY, "buttons": buttons})


@pytest.mark.parametrize("button", [OTP, {"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy"}], ids=["otp", "otp_explicit"])
def test_authentication_with_one_code_button_accepted(t, button):
    assert t.create(**auth(t, [button]))


def test_authentication_coupon_button_refused(t):
    # Meta's authentication button is OTP; COPY_CODE (a coupon) belongs to MARKETING.
    assert t.refused(**auth(t, [copy_code("123456")])) == {"components.buttons[0].type"}


def test_authentication_without_buttons_refused(t):
    assert t.refused(**auth(t, [])) == {"components.buttons"}
    params = auth(t, [])
    del params["components"]["buttons"]
    assert t.refused(**params) == {"components.buttons"}


def test_authentication_with_two_code_buttons_refused(t):
    assert t.refused(**auth(t, [OTP, OTP])) == {"components.buttons", "components.buttons[1].type"}
    assert t.refused(**auth(t, [OTP, copy_code()])) == {"components.buttons", "components.buttons[1].type"}


@pytest.mark.parametrize("other", [qr(), url_button(), phone_button()], ids=["QUICK_REPLY", "URL", "PHONE_NUMBER"])
def test_authentication_with_another_button_refused(t, other):
    assert t.refused(**auth(t, [other])) == {"components.buttons[0].type"}
    assert t.refused(**auth(t, [OTP, other])) == {"components.buttons", "components.buttons[1].type"}


# ---------------------------------------------------------------- quick replies contiguous


@pytest.mark.parametrize("types", [["QR", "QR", "URL"], ["URL", "QR"], ["URL", "QR", "QR", "PHONE"], ["QR"],
                                   ["PHONE", "URL"]])
def test_contiguous_quick_replies_accepted(t, types):
    assert t.create(components=t.components(buttons=make_buttons(types)))


@pytest.mark.parametrize("types,bad", [(["QR", "URL", "QR"], 2), (["URL", "QR", "PHONE", "QR"], 3),
                                       (["QR", "QR", "COPY", "QR"], 3)])
def test_split_quick_replies_refused(t, types, bad):
    assert t.refused(components=t.components(buttons=make_buttons(types))) == {f"components.buttons[{bad}].type"}


def make_buttons(types):
    made = []
    for index, kind in enumerate(types):
        made.append({"QR": lambda: qr(f"Reply {index}"), "URL": lambda: url_button(f"https://x{index}.example.com/"),
                     "PHONE": phone_button, "COPY": copy_code}[kind]())
    return made


# ---------------------------------------------------------------- variables


@pytest.mark.parametrize("text,examples", [
    ("Hi {{1}}, your order {{2}} is ready.", {"1": "Jan", "2": "A1"}),
    ("Hi {{1}}, again {{1}}.", {"1": "Jan"}),
    ("Order {{2}} for {{1}}.", {"1": "Jan", "2": "A1"}),
    ("No variables at all.", None),
    ("Ten: " + " ".join(f"{{{{{n}}}}}," for n in range(1, 11)) + " done.", {str(n): "v" for n in range(1, 11)}),
])
def test_positional_variables_accepted(t, text, examples):
    created = t.create(components={"body": body(text, examples)})
    assert created["components"]["body"] == {"text": text, "examples": examples or {}}


@pytest.mark.parametrize("text,examples", [
    ("Hi {{2}}.", {"2": "a"}),
    ("Hi {{1}} and {{3}}.", {"1": "a", "3": "c"}),
    ("Hi {{0}}.", None),
    ("Hi {{01}}.", None),
    ("Hi {{1234567890}}.", None),
    ("Hi {{123456789}}.", {"123456789": "a"}),
    ("Hi {{ 1 }}.", None),
    ("Hi {{}}.", None),
    ("Hi {{1 and bye.", None),
    ("Hi }} there.", None),
    ("Hi {{-1}}.", None),
])
def test_positional_variables_refused(t, text, examples):
    assert t.refused(components={"body": body(text, examples)}) == {"components.body.text"}


def test_header_and_body_number_their_variables_separately(t):
    components = {"header": {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "A1"}},
                  "body": body("Hello {{1}}.", {"1": "Jan"})}
    assert t.create(components=components)
    components["header"] = {"format": "TEXT", "text": "Order {{2}}", "examples": {"2": "A1"}}
    assert t.refused(components=components) == {"components.header.text"}


@pytest.mark.parametrize("text,examples", [
    ("Hi {{first_name}}.", {"first_name": "Jan"}),
    ("Hi {{a}}, {{b2}}, {{c_d_e}} and {{a}}.", {"a": "1", "b2": "2", "c_d_e": "3"}),
])
def test_named_variables_accepted(t, text, examples):
    assert t.create(parameter_format="NAMED", components={"body": body(text, examples)})


@pytest.mark.parametrize("text", ["Hi {{FirstName}}.", "Hi {{first-name}}.", "Hi {{_name}}.", "Hi {{9lives}}.",
                                  "Hi {{first name}}."])
def test_named_variables_must_be_lower_snake(t, text):
    assert t.refused(parameter_format="NAMED", components={"body": body(text)}) == {"components.body.text"}


def test_no_mixing_named_in_positional(t):
    assert t.refused(components={"body": body("Hi {{first_name}}.", {"first_name": "Jan"})}) == {"components.body.text"}
    assert t.refused(components={"body": body("Hi {{1}} {{name}}.", {"1": "a", "name": "b"})}) == {
        "components.body.text"}


def test_no_mixing_positional_in_named(t):
    assert t.refused(parameter_format="NAMED", components={"body": body("Hi {{1}}.", {"1": "Jan"})}) == {
        "components.body.text"}
    header = {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "A"}}
    assert t.refused(parameter_format="NAMED", components={"header": header, "body": body("Hi.")}) == {
        "components.header.text"}


def test_every_variable_needs_an_example(t):
    assert t.refused(components={"body": body("Hi {{1}} and {{2}}.", {"1": "a"})}) == {"components.body.examples.2"}
    assert t.refused(components={"body": body("Hi {{1}}.")}) == {"components.body.examples.1"}
    assert t.refused(parameter_format="NAMED", components={"body": body("Hi {{first_name}}.", {})}) == {
        "components.body.examples.first_name"}


def test_examples_only_for_variables_of_the_text(t):
    assert t.refused(components={"body": body("Hi {{1}}.", {"1": "a", "7": "x"})}) == {"components.body.examples.7"}
    assert t.refused(components={"body": body("No variables.", {"1": "a"})}) == {"components.body.examples.1"}


@pytest.mark.parametrize("value", ["", "   ", "two\nlines", "tab\there", "five     spaces", 5, None, "x" * 1025])
def test_example_values_refused(t, value):
    assert t.refused(components={"body": body("Hi {{1}}.", {"1": value})}) == {"components.body.examples.1"}


def test_example_values_accepted_at_limits(t):
    assert t.create(components={"body": body("Hi {{1}}.", {"1": "x" * 1024})})
    assert t.create(components={"body": body("Hi {{1}}.", {"1": "four    spaces"})})


def test_examples_must_be_an_object(t):
    assert t.refused(components={"body": body("Hi {{1}}.", ["a"])}) == {"components.body.examples"}


# ---------------------------------------------------------------- warnings


def warning_paths(template) -> list[str]:
    return [warning["path"] for warning in template.get("warnings", [])]


@pytest.mark.parametrize("text,examples,count", [
    ("{{1}} is your balance.", {"1": "10"}, 1),
    ("Your balance is {{1}}", {"1": "10"}, 1),
    ("Dear {{1}} {{2}}, welcome.", {"1": "Jan", "2": "Novák"}, 1),
    ("Dear {{1}}{{2}}, welcome.", {"1": "Jan", "2": "Novák"}, 1),
    ("{{1}}", {"1": "x"}, 2),
    ("{{1}} {{2}}", {"1": "a", "2": "b"}, 3),
])
def test_risky_bodies_are_stored_with_warnings(t, text, examples, count):
    created = t.create(components={"body": body(text, examples)})
    assert warning_paths(created) == ["components.body.text"] * count
    assert all(warning["message"] for warning in created["warnings"])
    stored = ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=created["id"])
    assert stored["components"]["body"]["text"] == text
    assert "warnings" not in stored


def test_well_placed_variables_give_no_warning(t):
    created = t.create(components={"body": body("Dear {{1}}, your order {{2}} is ready.", {"1": "Jan", "2": "A1"})})
    assert "warnings" not in created


def test_update_returns_warnings_too(t):
    created = t.create()
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED")
    updated = ok(t.conn, "templates.update", tenant_id=t.tenant_id, id=created["id"],
                 components={"body": body("{{1}} is here.", {"1": "Jan"})})
    assert warning_paths(updated) == ["components.body.text"]


# ---------------------------------------------------------------- uniqueness of (WABA, name, language)


def test_name_and_language_unique_per_number(t):
    t.create(name="order_shipped", language="cs")
    error = fail(t.conn, "templates.create", -32009, **t.params(name="order_shipped", language="cs"))
    assert error["data"]["reason"] == "already_exists"
    assert error["data"]["field"] == "name"
    # the same name in another language, and another name in the same language, are other templates
    assert t.create(name="order_shipped", language="en_US")
    assert t.create(name="order_delivered", language="cs")


def test_name_and_language_unique_within_the_waba_of_the_number(t):
    t.create(name="order_shipped", language="cs")
    same_waba = new_number(t.conn, t.tenant_id, t.group_id, t.waba_id)
    other_waba = new_number(t.conn, t.tenant_id, t.group_id)
    error = fail(t.conn, "templates.create", -32009,
                 **t.params(whatsapp_number_id=same_waba, name="order_shipped", language="cs"))
    assert error["data"]["reason"] == "already_exists"
    assert t.create(whatsapp_number_id=other_waba, name="order_shipped", language="cs")


def test_uniqueness_compares_the_trimmed_name(t):
    t.create(name="order_shipped")
    assert fail(t.conn, "templates.create", -32009, **t.params(name=" order_shipped "))["data"]["reason"] == "already_exists"


def test_names_never_change_so_an_update_cannot_clash(t):
    t.create(name="first_one")
    second = t.create(name="second_one")
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=second["id"], name="first_one")
    assert error["data"]["reason"] == "immutable"


def test_template_keys_stay_inside_the_tenant(t):
    """The (WABA, name, language) key is kept per tenant: another tenant's templates are neither seen nor refused."""
    t.create(name="order_shipped", language="cs")
    other_tenant = new_tenant(t.conn)
    same_waba = new_number(t.conn, other_tenant, waba_id=t.waba_id)
    response = t.conn.request("templates.create",
                              t.params(tenant_id=other_tenant, whatsapp_number_id=same_waba, name="order_shipped", language="cs"))
    assert "result" in response, response


def test_changing_the_waba_of_a_number_into_a_clash_is_refused(t):
    t.create(name="order_shipped", language="cs")
    other = new_number(t.conn, t.tenant_id, t.group_id)
    t.create(whatsapp_number_id=other, name="order_shipped", language="cs")
    error = fail(t.conn, "whatsapp_numbers.update", -32009, tenant_id=t.tenant_id, id=other, waba_id=t.waba_id)
    assert error["data"]["reason"] == "already_exists"


# ---------------------------------------------------------------- status


def test_status_is_pending_on_create(t):
    created = t.create()
    assert (created["status"], created["status_reason"], created["approved_at"]) == ("PENDING", None, None)
    assert created["status_updated_at"]


def test_status_cannot_be_set_by_create(t):
    assert t.refused(status="APPROVED") == {"status"}


@pytest.mark.parametrize("status", STATUSES)
def test_set_status_every_value_with_a_reason(t, status):
    created = t.create()
    result = ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status=status,
                reason=f"Meta says {status}")
    assert result["id"] == created["id"]
    assert result["status"] == status and result["status_reason"] == f"Meta says {status}"
    assert result["revision"] > created["revision"]
    stored = ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=created["id"])
    assert stored["status"] == status and stored["status_reason"] == f"Meta says {status}"


def test_set_status_without_a_reason(t):
    created = t.create()
    result = ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED")
    assert result["status"] == "REJECTED" and result["status_reason"] is None


def test_set_status_reason_limits(t):
    created = t.create()
    assert ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED",
              reason="r" * 500)["status_reason"] == "r" * 500
    assert invalid(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED",
                   reason="r" * 501) == {"reason"}
    assert invalid(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED",
                   reason="bad\u0001") == {"reason"}


@pytest.mark.parametrize("status", ["approved", "ACTIVE", "", None])
def test_set_status_refuses_unknown_statuses(t, status):
    created = t.create()
    params = {"tenant_id": t.tenant_id, "id": created["id"], "status": status}
    if status is None:
        del params["status"]
    assert invalid(t.conn, "templates.set_status", **params) == {"status"}
    assert ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=created["id"])["status"] == "PENDING"


def test_set_status_of_another_tenants_template_is_not_found(t):
    other = TemplateTenant(t.conn)
    foreign = other.create()
    error = fail(t.conn, "templates.set_status", -32004, tenant_id=t.tenant_id, id=foreign["id"], status="APPROVED")
    assert error["data"]["id"] == foreign["id"]
    assert ok(t.conn, "templates.get", tenant_id=other.tenant_id, id=foreign["id"])["status"] == "PENDING"


def test_approval_records_approved_at(t):
    created = t.create()
    approved = ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    assert approved["approved_at"]


# ---------------------------------------------------------------- APPROVED content is immutable


@pytest.mark.parametrize("change", [
    {"name": "renamed_template"},
    {"language": "de"},
    {"category": "UTILITY"},
], ids=["name", "language", "category"])
def test_approved_identity_and_category_update_is_refused(t, change):
    created = t.create()
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=created["id"], **change)
    assert error["data"]["reason"] == "immutable"
    stored = ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=created["id"])
    assert stored["components"] == created["components"] and stored["name"] == created["name"]
    assert stored["status"] == "APPROVED"


@pytest.mark.parametrize("change", [
    {"parameter_format": "NAMED"},
    {"components": {"body": {"text": "Changed."}}},
    {"message_send_ttl_seconds": 86400},
], ids=["parameter_format", "components", "ttl"])
def test_approved_content_is_edited_once_in_24_hours_and_goes_back_to_review(t, change):
    # Meta: approved templates can be edited once in 24 hours (10 times in 30 days); the edit is reviewed again.
    created = t.create()
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    edited = ok(t.conn, "templates.update", tenant_id=t.tenant_id, id=created["id"], **change)
    assert edited["status"] == "PENDING" and len(edited["edits_while_approved"]) == 1
    assert edited["approved_at"] is not None, "the first approval is kept"
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=created["id"],
                 components={"body": {"text": "Changed again."}})
    assert error["data"]["reason"] == "edit_limit" and "retry in" in error["message"]


def test_rejected_and_paused_templates_are_edited_without_limit(t):
    created = t.create()
    for status in ["REJECTED", "PAUSED", "REJECTED"]:
        ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status=status)
        for text in ["One.", "Two."]:
            ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status=status)
            assert ok(t.conn, "templates.update", tenant_id=t.tenant_id, id=created["id"],
                      components={"body": {"text": f"{status} {text}"}})["status"] == "PENDING"


@pytest.mark.parametrize("status", ["PENDING", "DISABLED", "IN_APPEAL", "LOCKED"])
def test_templates_in_other_statuses_are_not_edited(t, status):
    # Meta: only APPROVED, REJECTED or PAUSED templates can be edited.
    created = t.create()
    if status != "PENDING":
        ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status=status)
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=created["id"], components={"body": {"text": "No."}})
    assert error["data"]["reason"] == "not_editable" and status in error["message"]


def test_set_status_records_metas_review(t):
    created = t.create(category="MARKETING", message_send_ttl_seconds=86400)
    rejected = ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED",
                  rejected_reason="INCORRECT_CATEGORY", category="UTILITY", meta_template_id="594425479261596")
    assert rejected["rejected_reason"] == "INCORRECT_CATEGORY" and rejected["meta_template_id"] == "594425479261596"
    assert (rejected["category"], rejected["previous_category"], rejected["message_send_ttl_seconds"]) == ("UTILITY", "MARKETING", None)
    approved = ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED", quality_score="GREEN")
    assert approved["rejected_reason"] is None and approved["quality_score"] == "GREEN"
    assert approved["meta_template_id"] == "594425479261596", "kept when not sent again"
    for bad in [{"rejected_reason": "SCAM"}, {"rejected_reason": "BORING", "status": "REJECTED"}, {"quality_score": "BLUE"},
                {"meta_template_id": "12a"}, {"category": "OTP"}]:
        params = {"status": "APPROVED", **bad}
        fail(t.conn, "templates.set_status", -32602, tenant_id=t.tenant_id, id=created["id"], **params)


def test_approved_name_update_is_refused_in_a_dry_run_too(t):
    created = t.create()
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=created["id"], name="renamed_template",
                 dry_run=True)
    assert error["data"]["reason"] == "immutable"


def test_approved_number_change_is_refused(t):
    created = t.create()
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    other = new_number(t.conn, t.tenant_id, t.group_id)
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=created["id"], whatsapp_number_id=other)
    assert error["data"]["reason"] == "immutable"


def test_status_changes_stay_allowed_after_approval(t):
    created = t.create()
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    for status in ["PAUSED", "APPROVED", "FLAGGED", "DISABLED", "REINSTATED", "APPROVED"]:
        result = ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status=status)
        assert result["status"] == status


def test_approved_update_that_changes_nothing_is_allowed(t):
    """An update that changes nothing is not a content update (docs/configuration.md: it returns the object as it is)."""
    created = t.create()
    approved = ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    same = ok(t.conn, "templates.update", tenant_id=t.tenant_id, id=created["id"], name=created["name"],
              components=created["components"])
    assert same["revision"] == approved["revision"] and same["status"] == "APPROVED"


def test_pending_template_content_cannot_change(t):
    created = t.create()
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=created["id"], components={"body": {"text": "Changed."}})
    assert error["data"]["reason"] == "not_editable"
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="REJECTED")
    updated = ok(t.conn, "templates.update", tenant_id=t.tenant_id, id=created["id"], components={"body": {"text": "Changed."}})
    assert updated["components"]["body"]["text"] == "Changed."


def test_number_of_a_template_never_changes(t):
    # A template belongs to its number's WhatsApp Business Account at Meta: another number, of this tenant or
    # another, is refused as immutable (which says nothing of the other tenant).
    created = t.create()
    foreign = new_number(t.conn, new_tenant(t.conn))
    error = fail(t.conn, "templates.update", -32009, tenant_id=t.tenant_id, id=created["id"], whatsapp_number_id=foreign)
    assert error["data"]["reason"] == "immutable"
    assert ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=created["id"])["whatsapp_number_id"] == t.number_id


@pytest.mark.parametrize("method,extra", [("templates.get", {}), ("templates.update", {"name": "taken_over"}),
                                          ("templates.delete", {})])
def test_another_tenants_template_is_not_found(t, method, extra):
    other = TemplateTenant(t.conn)
    foreign = other.create()
    error = fail(t.conn, method, -32004, tenant_id=t.tenant_id, id=foreign["id"], **extra)
    assert error["data"]["id"] == foreign["id"]
    assert ok(t.conn, "templates.get", tenant_id=other.tenant_id, id=foreign["id"]) == foreign


def test_update_is_validated_like_create(t):
    created = t.create()
    error = fail(t.conn, "templates.update", -32602, tenant_id=t.tenant_id, id=created["id"], name="Bad Name",
                 components={"body": {"text": "x" * 1025}})
    assert paths(error) == {"name", "components.body.text"}


# ---------------------------------------------------------------- render: refusals and sendable


def render(t, template_id, parameters=None):
    params = {"tenant_id": t.tenant_id, "id": template_id}
    if parameters is not None:
        params["parameters"] = parameters
    return call_raw(t.conn, "templates.render", params)


def render_paths(t, template_id, parameters) -> set[str]:
    response = render(t, template_id, parameters)
    assert "error" in response, f"render must fail, got {response.get('result')!r}"
    return paths(response["error"])


@pytest.fixture
def greeting(t):
    return t.create(components={
        "header": {"format": "TEXT", "text": "Order {{1}}", "examples": {"1": "A1"}},
        "body": body("Hi {{1}}, see you on {{2}}.", {"1": "Jan", "2": "Friday"}),
        "buttons": [url_button("https://x.example/t/{{1}}", "Track", "abc"), qr("Thanks")]})


def test_render_fills_every_variable(t, greeting):
    response = render(t, greeting["id"], {"header": {"1": "A9"}, "body": {"1": "Eva", "2": "Monday"},
                                          "buttons": {"0": {"1": "xyz"}}})
    assert response["result"]["text"] == "Order A9\n\nHi Eva, see you on Monday.\n\n[Track]\n[Thanks]"


def test_render_missing_parameters(t, greeting):
    assert render_paths(t, greeting["id"], {"body": {"1": "Eva"}}) == {
        "parameters.header.1", "parameters.body.2", "parameters.buttons.0.1"}
    assert render_paths(t, greeting["id"], None) == {
        "parameters.header.1", "parameters.body.1", "parameters.body.2", "parameters.buttons.0.1"}


def test_render_extra_parameters(t, greeting):
    full = {"header": {"1": "A9"}, "body": {"1": "Eva", "2": "Monday"}, "buttons": {"0": {"1": "xyz"}}}
    assert render_paths(t, greeting["id"], {**full, "body": {"1": "Eva", "2": "Monday", "3": "extra"}}) == {
        "parameters.body.3"}
    assert render_paths(t, greeting["id"], {**full, "footer": {"1": "x"}}) == {"parameters.footer"}
    assert render_paths(t, greeting["id"], {**full, "buttons": {"0": {"1": "xyz"}, "1": {"1": "q"}}}) == {
        "parameters.buttons.1.1"}
    assert render_paths(t, greeting["id"], {**full, "buttons": {"0": {"1": "xyz"}, "5": {}}}) == {"parameters.buttons.5"}


def test_render_wrongly_named_parameters(t):
    created = t.create(parameter_format="NAMED", components={"body": body("Hi {{first_name}}!", {"first_name": "Jan"})})
    assert render_paths(t, created["id"], {"body": {"firstname": "Eva"}}) == {
        "parameters.body.firstname", "parameters.body.first_name"}
    assert render_paths(t, created["id"], {"body": {"1": "Eva"}}) == {"parameters.body.1", "parameters.body.first_name"}


def test_render_wrong_values(t, greeting):
    assert render_paths(t, greeting["id"], {"header": {"1": "x" * 61}, "body": {"1": "", "2": 7},
                                            "buttons": {"0": {"1": "a b"}}}) == {
        "parameters.header.1", "parameters.body.1", "parameters.body.2", "parameters.buttons.0.1"}


def test_render_parameters_must_be_an_object(t, greeting):
    response = render(t, greeting["id"], ["Eva"])
    assert response["error"]["code"] == -32602
    assert paths(response["error"]) == {"parameters"}


def test_render_of_another_tenants_template_is_not_found(t):
    other = TemplateTenant(t.conn)
    foreign = other.create()
    assert render(t, foreign["id"], {})["error"]["code"] == -32004


@pytest.mark.parametrize("status", STATUSES)
def test_render_is_sendable_only_when_approved(t, status):
    created = t.create(components={"body": body("Hello there.")})
    if status != "PENDING":
        ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status=status)
    result = render(t, created["id"], {})["result"]
    assert result["sendable"] is (status == "APPROVED")
    assert result["text"] == "Hello there."
    assert result["whatsapp"] == {"name": created["name"], "language": {"policy": "deterministic", "code": "en"}}


def test_render_stops_being_sendable_when_paused(t):
    created = t.create()
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="APPROVED")
    assert render(t, created["id"], {})["result"]["sendable"] is True
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=created["id"], status="PAUSED")
    assert render(t, created["id"], {})["result"]["sendable"] is False


# ---------------------------------------------------------------- list filters


def list_ids(t, **filters) -> list[str]:
    return [item["id"] for item in ok(t.conn, "templates.list", tenant_id=t.tenant_id, limit=1000, **filters)["items"]]


def test_list_filters(t):
    other_number = new_number(t.conn, t.tenant_id, t.group_id)
    a = t.create(language="cs", category="MARKETING")
    b = t.create(language="en_US", category="UTILITY")
    c = t.create(whatsapp_number_id=other_number, language="cs", category="UTILITY")
    d = t.create(whatsapp_number_id=other_number, language="en_US", category="AUTHENTICATION",
                 components={"body": AUTH_BODY, "buttons": [OTP]})
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=b["id"], status="APPROVED")
    ok(t.conn, "templates.set_status", tenant_id=t.tenant_id, id=d["id"], status="REJECTED")
    ids = [x["id"] for x in (a, b, c, d)]
    assert list_ids(t) == ids
    assert list_ids(t, whatsapp_number_id=t.number_id) == [a["id"], b["id"]]
    assert list_ids(t, whatsapp_number_id=other_number) == [c["id"], d["id"]]
    assert list_ids(t, status="PENDING") == [a["id"], c["id"]]
    assert list_ids(t, status="APPROVED") == [b["id"]]
    assert list_ids(t, status="REJECTED") == [d["id"]]
    assert list_ids(t, status="PAUSED") == []
    assert list_ids(t, language="cs") == [a["id"], c["id"]]
    assert list_ids(t, language="en_US") == [b["id"], d["id"]]
    assert list_ids(t, language="de") == []
    assert list_ids(t, category="MARKETING") == [a["id"]]
    assert list_ids(t, category="UTILITY") == [b["id"], c["id"]]
    assert list_ids(t, category="AUTHENTICATION") == [d["id"]]
    assert list_ids(t, whatsapp_number_id=other_number, category="UTILITY", language="cs", status="PENDING") == [c["id"]]


def test_list_filters_refuse_unknown_values(t):
    assert invalid(t.conn, "templates.list", tenant_id=t.tenant_id, status="approved") == {"status"}
    assert invalid(t.conn, "templates.list", tenant_id=t.tenant_id, category="PROMO") == {"category"}
    assert invalid(t.conn, "templates.list", tenant_id=t.tenant_id, channel="WEBCHAT") == {"channel"}


def test_list_only_shows_the_tenants_templates(t):
    other = TemplateTenant(t.conn)
    other.create()
    mine = t.create()
    assert list_ids(t) == [mine["id"]]
    assert list_ids(t, whatsapp_number_id=other.number_id) == []


# ---------------------------------------------------------------- deletions and references


def make_card(t, template_id, name="Order status"):
    return ok(t.conn, "hero_cards.create", tenant_id=t.tenant_id, name=name, channel="WHATSAPP",
              default_language="en", template_id=template_id, localizations={"en": {"title": "Hi"}})


def test_template_used_by_a_hero_card_cannot_be_deleted(t):
    template = t.create()
    card = make_card(t, template["id"])
    error = fail(t.conn, "templates.delete", -32009, tenant_id=t.tenant_id, id=template["id"])
    assert error["data"]["reason"] == "in_use"
    assert error["data"]["referrers"] == [{"type": "hero_card", "id": card["id"], "name": "Order status",
                                           "field": "template_id"}]
    assert ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=template["id"])["id"] == template["id"]
    ok(t.conn, "hero_cards.update", tenant_id=t.tenant_id, id=card["id"], template_id=None)
    deleted = ok(t.conn, "templates.delete", tenant_id=t.tenant_id, id=template["id"])
    assert deleted["deleted"] is True
    assert fail(t.conn, "templates.get", -32004, tenant_id=t.tenant_id, id=template["id"])


def test_unused_template_can_be_deleted(t):
    template = t.create()
    assert ok(t.conn, "templates.delete", tenant_id=t.tenant_id, id=template["id"])["deleted"] is True


def test_number_with_templates_cannot_be_deleted_without_cascade(t):
    first = t.create()
    second = t.create()
    error = fail(t.conn, "whatsapp_numbers.delete", -32009, tenant_id=t.tenant_id, id=t.number_id)
    assert error["data"]["reason"] == "in_use"
    referrers = {(r["type"], r["id"], r["field"]) for r in error["data"]["referrers"]}
    assert referrers == {("template", first["id"], "whatsapp_number_id"), ("template", second["id"], "whatsapp_number_id")}
    assert ok(t.conn, "whatsapp_numbers.get", tenant_id=t.tenant_id, id=t.number_id)


def test_number_delete_with_cascade_deletes_its_templates(t):
    first = t.create()
    second = t.create()
    dry = ok(t.conn, "whatsapp_numbers.delete", tenant_id=t.tenant_id, id=t.number_id, cascade=True, dry_run=True)
    assert {item["id"] for item in dry["cascaded"]} == {first["id"], second["id"]}
    assert ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=first["id"])
    result = ok(t.conn, "whatsapp_numbers.delete", tenant_id=t.tenant_id, id=t.number_id, cascade=True)
    assert result["deleted"] is True
    assert {item["id"] for item in result["cascaded"]} == {first["id"], second["id"]}
    for template in (first, second):
        assert fail(t.conn, "templates.get", -32004, tenant_id=t.tenant_id, id=template["id"])
    assert fail(t.conn, "whatsapp_numbers.get", -32004, tenant_id=t.tenant_id, id=t.number_id)


def test_number_cascade_refused_while_a_template_is_used_by_a_card(t):
    template = t.create()
    card = make_card(t, template["id"])
    error = fail(t.conn, "whatsapp_numbers.delete", -32009, tenant_id=t.tenant_id, id=t.number_id, cascade=True)
    assert error["data"]["reason"] == "in_use"
    assert card["id"] in {r["id"] for r in error["data"]["referrers"]}
    assert ok(t.conn, "templates.get", tenant_id=t.tenant_id, id=template["id"])


def test_number_without_templates_is_deleted_without_cascade(t):
    result = ok(t.conn, "whatsapp_numbers.delete", tenant_id=t.tenant_id, id=t.number_id)
    assert result["deleted"] is True and result["cascaded"] == []



# ---------------------------------------------------------------- limited-time offers (issue 15, Meta's rules)

LTO_URL = {"type": "URL", "text": "Book now!", "url": "https://awesomedestinations.com/offers?code={{1}}", "example": "n3mtql"}


def test_limited_time_offer_created_and_rendered(t):
    created = t.create(category="MARKETING", components={
        "header": {"format": "IMAGE", "example_url": "https://cdn.example.com/a.jpg"},
        "limited_time_offer": {"text": " Expiring offer! ", "has_expiration": True},
        "body": body("Good news, {{1}}!", {"1": "Pablo"}), "buttons": [copy_code("CARIBE25"), LTO_URL]})
    assert created["components"]["limited_time_offer"] == {"text": "Expiring offer!", "has_expiration": True}
    rendered = ok(t.conn, "templates.render", tenant_id=t.tenant_id, id=created["id"], parameters={
        "body": {"1": "Pablo"}, "limited_time_offer": {"expiration_time_ms": 1798761600000},
        "buttons": {"0": {"code": "CARIBE25"}, "1": {"1": "n3mtql"}}})
    assert [c["type"] for c in rendered["whatsapp"]["components"]] == ["header", "body", "limited_time_offer", "button", "button"]
    assert rendered["whatsapp"]["components"][3]["index"] == "0" and rendered["whatsapp"]["components"][4]["index"] == "1"
    missing = fail(t.conn, "templates.render", -32602, tenant_id=t.tenant_id, id=created["id"], parameters={
        "body": {"1": "Pablo"}, "buttons": {"0": {"code": "CARIBE25"}, "1": {"1": "n3mtql"}}})
    assert {e["path"] for e in missing["data"]["errors"]} == {"parameters.limited_time_offer"}


@pytest.mark.parametrize("category,components,paths", [
    ("UTILITY", {"limited_time_offer": {"text": "Offer"}, "body": {"text": "Hi"}, "buttons": [LTO_URL]}, {"components.limited_time_offer"}),
    ("MARKETING", {"limited_time_offer": {"text": "x" * 17}, "body": {"text": "Hi"}, "buttons": [LTO_URL]}, {"components.limited_time_offer.text"}),
    ("MARKETING", {"limited_time_offer": {"text": "Offer"}, "body": {"text": "Hi"}, "footer": {"text": "F"}, "buttons": [LTO_URL]},
     {"components.footer"}),
    ("MARKETING", {"limited_time_offer": {"text": "Offer"}, "body": {"text": "b" * 601}, "buttons": [LTO_URL]}, {"components.body.text"}),
    ("MARKETING", {"limited_time_offer": {"text": "Offer"}, "body": {"text": "Hi"}, "buttons": [{"type": "QUICK_REPLY", "text": "Yes"}]},
     {"components.buttons"}),
    ("MARKETING", {"limited_time_offer": {"text": "Offer"}, "header": {"format": "LOCATION"}, "body": {"text": "Hi"}, "buttons": [LTO_URL]},
     {"components.header.format"}),
], ids=["utility", "text_17", "footer", "body_601", "quick_reply", "location_header"])
def test_limited_time_offer_rules(t, category, components, paths):
    assert t.refused(category=category, components=components) == paths


# ---------------------------------------------------------------- media card carousels (issue 15, Meta's rules)


def carousel_card(slug, body_text=None):
    card = {"header": {"format": "IMAGE", "example_url": f"https://cdn.example.com/{slug}.jpg"},
            "buttons": [{"type": "QUICK_REPLY", "text": "More like this"},
                        {"type": "URL", "text": "Shop", "url": "https://shop.example.com/p/{{1}}", "example": slug}]}
    if body_text:
        card["body"] = {"text": body_text}
    return card


def test_carousel_created_and_rendered(t):
    created = t.create(category="MARKETING", components={"body": body("Hi {{1}}, our picks:", {"1": "Pablo"}),
                                                         "carousel": {"cards": [carousel_card("elf"), carousel_card("buddha")]}})
    assert len(created["components"]["carousel"]["cards"]) == 2
    rendered = ok(t.conn, "templates.render", tenant_id=t.tenant_id, id=created["id"], parameters={
        "body": {"1": "Pablo"}, "carousel": {"0": {"buttons": {"1": {"1": "ELF"}}}, "1": {"buttons": {"1": {"1": "BUDDHA"}}}}})
    carousel = rendered["whatsapp"]["components"][1]
    assert carousel["type"] == "carousel" and [c["card_index"] for c in carousel["cards"]] == [0, 1]
    assert carousel["cards"][1]["components"][1] == {"type": "button", "sub_type": "url", "index": "1",
                                                     "parameters": [{"type": "text", "text": "BUDDHA"}]}
    missing = fail(t.conn, "templates.render", -32602, tenant_id=t.tenant_id, id=created["id"], parameters={"body": {"1": "Pablo"}})
    assert {e["path"] for e in missing["data"]["errors"]} == {"parameters.carousel.0.buttons.1.1", "parameters.carousel.1.buttons.1.1"}


@pytest.mark.parametrize("category,components,paths", [
    ("UTILITY", {"body": {"text": "Hi"}, "carousel": {"cards": [carousel_card("a"), carousel_card("b")]}}, {"components.carousel"}),
    ("MARKETING", {"body": {"text": "Hi"}, "carousel": {"cards": [carousel_card("a")]}}, {"components.carousel.cards"}),
    ("MARKETING", {"body": {"text": "Hi"}, "carousel": {"cards": [carousel_card("a"), carousel_card("b", "Body")]}},
     {"components.carousel.cards[1]"}),
    ("MARKETING", {"body": {"text": "Hi"}, "footer": {"text": "F"}, "carousel": {"cards": [carousel_card("a"), carousel_card("b")]}},
     {"components.footer"}),
], ids=["utility", "one_card", "body_on_one_card", "footer"])
def test_carousel_rules(t, category, components, paths):
    assert t.refused(category=category, components=components) == paths
