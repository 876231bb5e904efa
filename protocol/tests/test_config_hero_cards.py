"""hero_cards over the protocol: every validation rule of issue 3 ("hero_cards" section and the
references it takes part in), each limit on both sides of its boundary, hero_cards.render's language
choice and WhatsApp message, and the channel filter of hero_cards.list.

Rules: docs/families/hero_cards.md, docs/configuration.md. Each test works in a fresh tenant.
"""

from __future__ import annotations

import pytest

from render_helpers import (TemplateTenant, call_raw, fail, invalid, new_number, new_tenant, ok,
                            paths, unique_name)

CHANNELS = ["WEBCHAT", "WHATSAPP", "APPLE"]
RICH = ["WEBCHAT", "APPLE"]
URL_TYPES = ["openUrl", "downloadFile", "showImage", "playAudio", "playVideo", "signin"]
MESSAGE_TYPES = ["imBack", "postBack", "messageBack"]


class CardTenant:
    """A fresh tenant and shortcuts for its hero cards."""

    def __init__(self, conn):
        self.conn = conn
        self.tenant_id = new_tenant(conn)

    def params(self, **overrides) -> dict:
        params = {"tenant_id": self.tenant_id, "name": unique_name("Card"), "channel": "WEBCHAT", "default_language": "en",
                  "localizations": {"en": {"title": "Welcome"}}}
        params.update(overrides)
        return {key: value for key, value in params.items() if value is not None}

    def create_response(self, **overrides) -> dict:
        return call_raw(self.conn, "hero_cards.create", self.params(**overrides))

    def create(self, **overrides) -> dict:
        response = self.create_response(**overrides)
        assert "result" in response, f"hero_cards.create failed: {response.get('error')!r}"
        return response["result"]

    def refused(self, **overrides) -> set[str]:
        response = self.create_response(**overrides)
        assert "error" in response, f"hero_cards.create accepted what it must refuse: {response.get('result')!r}"
        return paths(response["error"])

    def with_loc(self, channel="WEBCHAT", **members) -> dict:
        """Params of a card of `channel` whose only localization, `en`, has `members` (title "Hi" by default)."""
        localization = {"title": "Hi"}
        localization.update(members)
        localization = {key: value for key, value in localization.items() if value is not None}
        return dict(channel=channel, localizations={"en": localization})

    def loc_ok(self, channel="WEBCHAT", **members) -> dict:
        """Creates a card with that localization; returns the stored localization."""
        return self.create(**self.with_loc(channel, **members))["localizations"]["en"]

    def loc_refused(self, channel="WEBCHAT", **members) -> set[str]:
        return self.refused(**self.with_loc(channel, **members))

    def template(self) -> str:
        """A template of this tenant (on a new number); returns its id."""
        number_id = new_number(self.conn, self.tenant_id)
        return ok(self.conn, "templates.create", tenant_id=self.tenant_id, whatsapp_number_id=number_id,
                  name="card_template", language="en", category="MARKETING",
                  components={"body": {"text": "Hello there."}})["id"]


@pytest.fixture
def h(conn) -> CardTenant:
    return CardTenant(conn)


def button(type_="imBack", title="Yes", value="yes") -> dict:
    return {"type": type_, "title": title, "value": value}


def url_of(length: int, scheme: str = "https") -> str:
    prefix = f"{scheme}://www.example.com/"
    return prefix + "p" * (length - len(prefix))


# ---------------------------------------------------------------- accepted cards


def test_minimal_card_is_stored_with_every_member(h):
    created = h.create(name="Welcome")
    assert created["id"].startswith("hcd_") and created["tenant_id"] == h.tenant_id
    assert created["name"] == "Welcome" and created["channel"] == "WEBCHAT" and created["default_language"] == "en"
    assert created["template_id"] is None
    assert created["localizations"] == {"en": {"title": "Welcome", "subtitle": None, "text": None, "images": [],
                                               "buttons": [], "tap": None}}
    assert "warnings" not in created
    assert ok(h.conn, "hero_cards.get", tenant_id=h.tenant_id, id=created["id"]) == created


def test_documented_whatsapp_example_is_stored(h):
    template_id = h.template()
    cs = {"subtitle": "Acme s.r.o.", "text": "Vaše objednávka byla odeslána.\nCo chcete udělat?",
          "images": [{"url": "https://cdn.example.com/cards/parcel.jpg", "alt": "Balík"}],
          "buttons": [button("imBack", "Sledovat zásilku", "track_parcel"),
                      button("postBack", "Změnit adresu", "change_address")]}
    en = {"title": "Your order is on its way", "buttons": [button("imBack", "Track", "track_parcel")]}
    created = h.create(name="Order status", channel="WHATSAPP", default_language="cs", template_id=template_id,
                       localizations={"cs": cs, "en": en})
    assert created["template_id"] == template_id
    assert created["localizations"] == {
        "cs": {"title": None, **cs, "tap": None},
        "en": {"title": "Your order is on its way", "subtitle": None, "text": None, "images": [], "buttons": en["buttons"],
               "tap": None}}


@pytest.mark.parametrize("member", ["name", "channel", "default_language", "localizations"])
def test_required_members(h, member):
    expected = {member}
    assert h.refused(**{member: None}) == expected


def test_unknown_members_are_reported(h):
    assert h.refused(colour="red") == {"colour"}
    assert h.refused(localizations={"en": {"title": "Hi", "footer": "x"}}) == {"localizations.en.footer"}
    assert h.refused(localizations={"en": {"title": "Hi", "buttons": [{**button(), "image": "x"}]}}) == {
        "localizations.en.buttons[0].image"}


def test_every_problem_is_reported_at_once(h):
    assert h.refused(name="", channel="SMS", default_language="en-US",
                     localizations={"en": {"subtitle": "only"}, "cs": {"title": "x" * 201}}) == {
        "name", "channel", "default_language", "localizations.en", "localizations.cs.title"}


# ---------------------------------------------------------------- name


@pytest.mark.parametrize("name", ["W", "x" * 100, "ř" * 100, "Order status (CZ)"])
def test_name_accepted(h, name):
    assert h.create(name=name)["name"] == name


def test_name_is_trimmed(h):
    assert h.create(name="  Welcome  ")["name"] == "Welcome"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "ř" * 101, "tab\tname", "line\nbreak", "nul\u0000"])
def test_name_refused(h, name):
    assert h.refused(name=name) == {"name"}


def test_name_unique_per_tenant_and_channel_ignoring_case(h):
    first = h.create(name="Welcome", channel="WEBCHAT")
    for name in ["Welcome", "WELCOME", " welcome "]:
        error = fail(h.conn, "hero_cards.create", -32009, **h.params(name=name, channel="WEBCHAT"))
        assert error["data"]["reason"] == "already_exists" and error["data"]["field"] == "name"
        assert error["data"]["existing_id"] == first["id"]
    # another channel, or another tenant, may use the name
    assert h.create(name="Welcome", channel="APPLE")
    assert h.create(name="welcome", channel="WHATSAPP")
    other = CardTenant(h.conn)
    assert other.create(name="Welcome", channel="WEBCHAT")


def test_name_case_is_kept(h):
    assert h.create(name="wELCOME Card")["name"] == "wELCOME Card"


def test_update_into_a_name_clash_is_refused(h):
    h.create(name="First")
    second = h.create(name="Second")
    error = fail(h.conn, "hero_cards.update", -32009, tenant_id=h.tenant_id, id=second["id"], name="first")
    assert error["data"]["reason"] == "already_exists"


def test_changing_the_channel_into_a_name_clash_is_refused(h):
    h.create(name="Welcome", channel="APPLE")
    card = h.create(name="Welcome", channel="WEBCHAT")
    error = fail(h.conn, "hero_cards.update", -32009, tenant_id=h.tenant_id, id=card["id"], channel="APPLE")
    assert error["data"]["reason"] == "already_exists"


# ---------------------------------------------------------------- channel


@pytest.mark.parametrize("channel", CHANNELS)
def test_channel_accepted(h, channel):
    assert h.create(channel=channel)["channel"] == channel


@pytest.mark.parametrize("channel", ["webchat", "SMS", "TEAMS", ""])
def test_channel_refused(h, channel):
    assert h.refused(channel=channel) == {"channel"}


# ---------------------------------------------------------------- default_language and localizations


def test_default_language_must_be_among_the_localizations(h):
    assert h.refused(default_language="cs") == {"default_language"}
    assert h.create(default_language="cs", localizations={"cs": {"title": "Ahoj"}, "en": {"title": "Hi"}})


@pytest.mark.parametrize("language", ["en-US", "en_us", "EN", "e", ""])
def test_default_language_must_be_a_language_code(h, language):
    assert h.refused(default_language=language) == {"default_language"}


def test_at_least_one_localization(h):
    assert h.refused(localizations={}) == {"localizations"}


def test_localizations_must_be_an_object(h):
    assert h.refused(localizations=[{"title": "Hi"}]) == {"localizations"}


def test_at_most_50_localizations(h):
    codes = [a + b for a in "abcdefghij" for b in "abcde"]  # 50 two-letter codes
    localizations = {code: {"title": code} for code in codes}
    assert len(h.create(default_language="aa", localizations=localizations)["localizations"]) == 50
    localizations["zz"] = {"title": "zz"}
    assert h.refused(name="Other", default_language="aa", localizations=localizations) == {"localizations"}


@pytest.mark.parametrize("code", ["en-US", "EN", "en_us", "english"])
def test_localization_keys_are_language_codes(h, code):
    assert h.refused(localizations={"en": {"title": "Hi"}, code: {"title": "Hi"}}) == {f"localizations.{code}"}


def test_localization_must_be_an_object(h):
    assert h.refused(localizations={"en": {"title": "Hi"}, "cs": "Ahoj"}) == {"localizations.cs"}


@pytest.mark.parametrize("members", [{"title": "Hi"}, {"text": "Hello"}, {"title": "Hi", "text": "Hello"}],
                         ids=["title", "text", "both"])
def test_localization_with_a_title_or_a_text_accepted(h, members):
    assert h.create(localizations={"en": members})


@pytest.mark.parametrize("members", [{}, {"subtitle": "Only a subtitle"}, {"title": None, "text": None},
                                     {"images": [{"url": "https://cdn.example.com/a.png"}]},
                                     {"buttons": [button()]}],
                         ids=["empty", "subtitle", "nulls", "image", "button"])
def test_localization_needs_a_title_or_a_text(h, members):
    assert h.refused(localizations={"en": members}) == {"localizations.en"}


def test_empty_title_is_not_no_value(h):
    assert h.refused(localizations={"en": {"title": "", "text": "Hello"}}) == {"localizations.en.title"}


# ---------------------------------------------------------------- texts per channel


@pytest.mark.parametrize("channel,member,limit", [
    ("WEBCHAT", "title", 200), ("APPLE", "title", 200), ("WHATSAPP", "title", 60),
    ("WEBCHAT", "subtitle", 200), ("APPLE", "subtitle", 200), ("WHATSAPP", "subtitle", 60),
    ("WEBCHAT", "text", 2000), ("APPLE", "text", 2000), ("WHATSAPP", "text", 1024),
])
def test_text_limits_per_channel(h, channel, member, limit):
    assert h.loc_ok(channel, **{member: "ž" * limit})[member] == "ž" * limit
    assert h.loc_refused(channel, **{member: "ž" * (limit + 1)}) == {f"localizations.en.{member}"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_text_may_span_lines_title_and_subtitle_may_not(h, channel):
    assert h.loc_ok(channel, text="Line one\nLine two")["text"] == "Line one\nLine two"
    assert h.loc_refused(channel, title="Line one\nLine two") == {"localizations.en.title"}
    assert h.loc_refused(channel, subtitle="Line one\nLine two") == {"localizations.en.subtitle"}


@pytest.mark.parametrize("member", ["title", "subtitle", "text"])
def test_texts_refuse_control_characters(h, member):
    assert h.loc_refused(**{member: "bell\u0007 here"}) == {f"localizations.en.{member}"}


def test_text_refuses_a_tab(h):
    assert h.loc_refused(text="Price:\t100 CZK") == {"localizations.en.text"}


def test_texts_are_trimmed(h):
    stored = h.loc_ok(title="  Hi  ", subtitle=" Sub ", text="\n Hello \n")
    assert (stored["title"], stored["subtitle"], stored["text"]) == ("Hi", "Sub", "Hello")


# ---------------------------------------------------------------- images


@pytest.mark.parametrize("channel", RICH)
def test_rich_cards_accept_10_http_or_https_images(h, channel):
    images = [{"url": f"http{'s' if i % 2 else ''}://cdn.example.com/{i}.png", "alt": f"Image {i}"} for i in range(10)]
    assert h.loc_ok(channel, images=images)["images"] == images
    assert h.loc_refused(channel, images=images + [{"url": "https://cdn.example.com/x.png"}]) == {"localizations.en.images"}


def test_whatsapp_card_accepts_one_https_image(h):
    assert h.loc_ok("WHATSAPP", images=[{"url": "https://cdn.example.com/a.png"}])["images"] == [
        {"url": "https://cdn.example.com/a.png", "alt": None}]
    two = [{"url": "https://cdn.example.com/a.png"}, {"url": "https://cdn.example.com/b.png"}]
    assert h.loc_refused("WHATSAPP", images=two) == {"localizations.en.images"}


def test_whatsapp_card_refuses_http_images(h):
    assert h.loc_refused("WHATSAPP", images=[{"url": "http://cdn.example.com/a.png"}]) == {
        "localizations.en.images[0].url"}


@pytest.mark.parametrize("url", ["data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)", "ftp://cdn.example.com/a",
                                 "/images/a.png", "cdn.example.com/a.png", "https://", "https://cdn.example.com/a b.png",
                                 "", url_of(2001)])
@pytest.mark.parametrize("channel", CHANNELS)
def test_image_url_refused(h, channel, url):
    assert h.loc_refused(channel, images=[{"url": url}]) == {"localizations.en.images[0].url"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_image_url_at_most_2000_characters(h, channel):
    assert h.loc_ok(channel, images=[{"url": url_of(2000)}])["images"][0]["url"] == url_of(2000)


def test_image_alt_limits(h):
    assert h.loc_ok(images=[{"url": "https://cdn.example.com/a.png", "alt": "a" * 200}])["images"][0]["alt"] == "a" * 200
    assert h.loc_refused(images=[{"url": "https://cdn.example.com/a.png", "alt": "a" * 201}]) == {
        "localizations.en.images[0].alt"}
    assert h.loc_refused(images=[{"url": "https://cdn.example.com/a.png", "alt": ""}]) == {
        "localizations.en.images[0].alt"}


def test_image_url_required(h):
    assert h.loc_refused(images=[{"alt": "Logo"}]) == {"localizations.en.images[0].url"}
    assert h.loc_refused(images=["https://cdn.example.com/a.png"]) == {"localizations.en.images[0]"}


# ---------------------------------------------------------------- buttons: types and values


@pytest.mark.parametrize("type_", URL_TYPES)
@pytest.mark.parametrize("channel", RICH)
def test_url_button_types_accept_http_and_https(h, channel, type_):
    buttons = [button(type_, "Secure", "https://www.example.com/a?b=c#d"), button(type_, "Plain", "http://example.com")]
    assert h.loc_ok(channel, buttons=buttons)["buttons"] == buttons


@pytest.mark.parametrize("value", ["data:text/html,<script>alert(1)</script>", "javascript:alert(1)",
                                   "JavaScript:alert(1)", "ftp://files.example.com/a", "mailto:a@example.com",
                                   "/relative/path", "www.example.com", "https://", "https:///path", "https://exa mple.com",
                                   "", url_of(2001)])
@pytest.mark.parametrize("type_", URL_TYPES)
def test_url_button_types_refuse_other_values(h, type_, value):
    assert h.loc_refused(buttons=[button(type_, "Open", value)]) == {"localizations.en.buttons[0].value"}


@pytest.mark.parametrize("type_", URL_TYPES)
def test_url_button_value_at_most_2000_characters(h, type_):
    assert h.loc_ok(buttons=[button(type_, "Open", url_of(2000))])["buttons"][0]["value"] == url_of(2000)


@pytest.mark.parametrize("value,stored", [("tel:+420601123456", "tel:+420601123456"),
                                          ("tel:+420 601 123 456", "tel:+420601123456"),
                                          ("tel:+1 (415) 555-0100", "tel:+14155550100"),
                                          ("tel:+1234567", "tel:+1234567")])
@pytest.mark.parametrize("channel", RICH)
def test_call_accepts_tel_e164(h, channel, value, stored):
    assert h.loc_ok(channel, buttons=[button("call", "Call us", value)])["buttons"][0]["value"] == stored


@pytest.mark.parametrize("value", ["+420601123456", "420601123456", "tel:420601123456", "tel:00420601123456",
                                   "tel:+0420601123456", "tel:+123456", "tel:+1234567890123456", "tel:",
                                   "callto:+420601123456", "https://example.com", ""])
def test_call_refuses_anything_but_tel_e164(h, value):
    assert h.loc_refused(buttons=[button("call", "Call us", value)]) == {"localizations.en.buttons[0].value"}


@pytest.mark.parametrize("type_", MESSAGE_TYPES)
@pytest.mark.parametrize("channel", RICH)
def test_message_buttons_accept_a_string(h, channel, type_):
    for value in ["x", "Chci se zeptat na objednávku", "ž" * 1024]:
        assert h.loc_ok(channel, buttons=[button(type_, "Ask", value)])["buttons"][0]["value"] == value


@pytest.mark.parametrize("value", ["", "   ", "ž" * 1025, "two\nlines"])
@pytest.mark.parametrize("type_", MESSAGE_TYPES)
def test_message_buttons_refuse_bad_strings(h, type_, value):
    assert h.loc_refused(buttons=[button(type_, "Ask", value)]) == {"localizations.en.buttons[0].value"}


@pytest.mark.parametrize("value", [42, True, {"intent": "x"}, ["a"]])
@pytest.mark.parametrize("type_", ["imBack", "postBack"])
def test_im_back_and_post_back_value_must_be_a_string(h, type_, value):
    assert h.loc_refused(buttons=[button(type_, "Ask", value)]) == {"localizations.en.buttons[0].value"}


@pytest.mark.parametrize("type_", ["OpenUrl", "openURL", "imback", "reply", "messageback", ""])
def test_unknown_button_types_refused(h, type_):
    assert h.loc_refused(buttons=[button(type_, "Go", "https://example.com")]) == {"localizations.en.buttons[0].type"}


@pytest.mark.parametrize("member", ["type", "title", "value"])
def test_button_members_required(h, member):
    incomplete = {key: value for key, value in button().items() if key != member}
    assert h.loc_refused(buttons=[incomplete]) == {f"localizations.en.buttons[0].{member}"}


def test_buttons_must_be_objects(h):
    assert h.loc_refused(buttons=["Yes"]) == {"localizations.en.buttons[0]"}


# ---------------------------------------------------------------- buttons: titles and counts


@pytest.mark.parametrize("channel", CHANNELS)
def test_button_title_1_to_20_characters(h, channel):
    for title in ["Y", "ř" * 20]:
        assert h.loc_ok(channel, buttons=[button(title=title)])["buttons"][0]["title"] == title
    for title in ["", "  ", "ř" * 21, "two\nlines"]:
        assert h.loc_refused(channel, buttons=[button(title=title)]) == {"localizations.en.buttons[0].title"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_button_title_unique_within_the_card_ignoring_case(h, channel):
    buttons = [button(title="Yes", value="a"), button(title="No", value="b"), button(title="YES", value="c")]
    assert h.loc_refused(channel, buttons=buttons) == {"localizations.en.buttons[2].title"}
    buttons = [button(title="Yes", value="a"), button(title=" yes ", value="b")]
    assert h.loc_refused(channel, buttons=buttons) == {"localizations.en.buttons[1].title"}


def test_same_button_title_in_two_localizations_accepted(h):
    assert h.create(localizations={"en": {"title": "Hi", "buttons": [button(title="OK")]},
                                   "cs": {"title": "Ahoj", "buttons": [button(title="OK")]}})


@pytest.mark.parametrize("channel", RICH)
def test_rich_cards_at_most_6_buttons(h, channel):
    buttons = [button(title=f"Option {i}", value=f"o{i}") for i in range(6)]
    assert len(h.loc_ok(channel, buttons=buttons)["buttons"]) == 6
    seven = buttons + [button(title="Option 6", value="o6")]
    assert h.loc_refused(channel, buttons=seven) == {"localizations.en.buttons"}


def test_whatsapp_card_at_most_3_buttons(h):
    buttons = [button(title=f"Option {i}", value=f"o{i}") for i in range(3)]
    assert len(h.loc_ok("WHATSAPP", buttons=buttons)["buttons"]) == 3
    four = buttons + [button(title="Option 3", value="o3")]
    assert h.loc_refused("WHATSAPP", buttons=four) == {"localizations.en.buttons"}


@pytest.mark.parametrize("type_", ["imBack", "postBack"])
def test_whatsapp_card_accepts_reply_buttons(h, type_):
    assert h.loc_ok("WHATSAPP", buttons=[button(type_, "Yes", "v" * 256)])["buttons"][0]["type"] == type_


@pytest.mark.parametrize("type_,value", [("call", "tel:+420601123456"),
                                         ("messageBack", "hello"), ("signin", "https://login.example.com")])
def test_whatsapp_card_refuses_other_button_types(h, type_, value):
    assert h.loc_refused("WHATSAPP", buttons=[button(type_, "Go", value)]) == {"localizations.en.buttons[0].type"}


def test_whatsapp_reply_value_at_most_256_and_unique(h):
    assert h.loc_refused("WHATSAPP", buttons=[button("imBack", "Yes", "v" * 257)]) == {"localizations.en.buttons[0].value"}
    same = [button("imBack", "Yes", "same"), button("postBack", "No", "same")]
    assert h.loc_refused("WHATSAPP", buttons=same) == {"localizations.en.buttons[1].value"}
    assert h.loc_ok("WEBCHAT", buttons=same)


# ---------------------------------------------------------------- WhatsApp warnings


def test_whatsapp_card_with_image_text_and_title_warns(h):
    created = h.create(**h.with_loc("WHATSAPP", title="Hi", text="Hello", images=[{"url": "https://cdn.example.com/a.png"}],
                                    buttons=[button()]))
    assert [w["path"] for w in created["warnings"]] == ["localizations.en.title"]
    assert created["localizations"]["en"]["title"] == "Hi"


def test_rich_card_never_warns(h):
    created = h.create(**h.with_loc("WEBCHAT", title="Hi", text="Hello", subtitle="Sub",
                                    images=[{"url": "https://cdn.example.com/a.png"}]))
    assert "warnings" not in created


# ---------------------------------------------------------------- template_id


def test_whatsapp_card_with_a_template_of_the_tenant(h):
    template_id = h.template()
    created = h.create(channel="WHATSAPP", template_id=template_id)
    assert created["template_id"] == template_id
    updated = ok(h.conn, "hero_cards.update", tenant_id=h.tenant_id, id=created["id"], template_id=None)
    assert updated["template_id"] is None


@pytest.mark.parametrize("channel", RICH)
def test_template_id_only_on_whatsapp_cards(h, channel):
    template_id = h.template()
    assert h.refused(channel=channel, template_id=template_id) == {"template_id"}


def test_template_id_must_be_well_formed(h):
    assert h.refused(channel="WHATSAPP", template_id="tpl_1") == {"template_id"}
    assert h.refused(channel="WHATSAPP", template_id="hcd_01JD8X7B2C4D6E8F0G1H2J3K4M") == {"template_id"}


def test_template_of_another_tenant_is_reported_as_not_found(h):
    other = TemplateTenant(h.conn)
    foreign = other.create()["id"]
    missing = "tpl_" + "0" * 26
    foreign_error = fail(h.conn, "hero_cards.create", -32004, **h.params(channel="WHATSAPP", template_id=foreign))
    missing_error = fail(h.conn, "hero_cards.create", -32004, **h.params(channel="WHATSAPP", template_id=missing))
    assert foreign_error["message"].replace(foreign, "ID") == missing_error["message"].replace(missing, "ID")
    assert foreign_error["data"]["type"] == missing_error["data"]["type"]
    assert foreign_error["data"]["id"] == foreign
    assert ok(h.conn, "hero_cards.list", tenant_id=h.tenant_id)["items"] == []


def test_update_to_another_tenants_template_is_not_found(h):
    card = h.create(channel="WHATSAPP")
    foreign = TemplateTenant(h.conn).create()["id"]
    error = fail(h.conn, "hero_cards.update", -32004, tenant_id=h.tenant_id, id=card["id"], template_id=foreign)
    assert error["data"]["id"] == foreign
    assert ok(h.conn, "hero_cards.get", tenant_id=h.tenant_id, id=card["id"])["template_id"] is None


def test_changing_the_channel_of_a_card_with_a_template_is_refused(h):
    card = h.create(channel="WHATSAPP", template_id=h.template())
    error = fail(h.conn, "hero_cards.update", -32602, tenant_id=h.tenant_id, id=card["id"], channel="WEBCHAT")
    assert paths(error) == {"template_id"}


def test_whatsapp_card_takes_one_open_url_button_as_metas_cta_url_message(h):
    # Meta's interactive call-to-action URL message: one URL button, display text at most 20.
    card = h.create(channel="WHATSAPP", localizations={"en": {"title": "Order", "text": "Track it.",
                                                             "buttons": [button("openUrl", "Track order", "https://acme.example/t/1")]}})
    rendered = ok(h.conn, "hero_cards.render", tenant_id=h.tenant_id, id=card["id"])
    assert rendered["whatsapp"]["interactive"]["type"] == "cta_url"
    assert rendered["whatsapp"]["interactive"]["action"] == {
        "name": "cta_url", "parameters": {"display_text": "Track order", "url": "https://acme.example/t/1"}}
    two = [button("openUrl", "Web", "https://example.com"), button("imBack", "Yes", "yes")]
    assert h.loc_refused("WHATSAPP", buttons=two) == {"localizations.en.buttons[0].type"}


def test_tap_is_a_card_action_for_bot_framework(h):
    tap = button("openUrl", "Open", "https://acme.example")
    card = h.create(channel="WEBCHAT", localizations={"en": {"title": "Hi", "tap": tap}})
    assert card["localizations"]["en"]["tap"] == tap
    rendered = ok(h.conn, "hero_cards.render", tenant_id=h.tenant_id, id=card["id"])
    assert rendered["attachment"]["content"]["tap"] == tap
    assert h.loc_refused("WEBCHAT", tap={"type": "openUrl", "title": "Open", "value": "not a url"}) == {"localizations.en.tap.value"}


def test_update_is_validated_like_create(h):
    card = h.create(channel="WHATSAPP")
    error = fail(h.conn, "hero_cards.update", -32602, tenant_id=h.tenant_id, id=card["id"],
                 localizations={"en": {"title": "x" * 61, "buttons": [button("call", "Call", "tel:+420601123456")]}})
    assert paths(error) == {"localizations.en.title", "localizations.en.buttons[0].type"}


# ---------------------------------------------------------------- render


def render(h, card_id, **params):
    return call_raw(h.conn, "hero_cards.render", {"tenant_id": h.tenant_id, "id": card_id, **params})


@pytest.fixture
def multilingual(h):
    return h.create(default_language="cs", localizations={
        "cs": {"title": "Ahoj"}, "en_GB": {"title": "Hello (GB)"}, "en_US": {"title": "Hello (US)"},
        "pt_BR": {"title": "Olá"}})


@pytest.mark.parametrize("requested,used,fell_back", [
    (None, "cs", False), ("cs", "cs", False), ("en_US", "en_US", False), ("en", "en_GB", True),
    ("en_AU", "en_GB", True), ("pt_PT", "pt_BR", True), ("pt", "pt_BR", True), ("de", "cs", True),
    ("de_DE", "cs", True), ("cs_CZ", "cs", True),
])
def test_render_language_choice_falls_back_to_default_language(h, multilingual, requested, used, fell_back):
    params = {} if requested is None else {"language": requested}
    result = render(h, multilingual["id"], **params)["result"]
    assert result["language"] == used
    assert result["requested_language"] == requested
    assert result["fell_back"] is fell_back
    title = multilingual["localizations"][used]["title"]
    assert result["attachment"] == {"contentType": "application/vnd.microsoft.card.hero", "content": {"title": title}}


@pytest.mark.parametrize("language", ["en-US", "en_us", "EN", "e", "", 5])
def test_render_refuses_a_malformed_language(h, multilingual, language):
    response = render(h, multilingual["id"], language=language)
    assert paths(response["error"]) == {"language"}


@pytest.mark.parametrize("channel", RICH)
def test_render_of_rich_cards_has_no_whatsapp_message(h, channel):
    card = h.create(channel=channel)
    result = render(h, card["id"])["result"]
    assert "whatsapp" not in result
    assert result["attachment"]["contentType"] == "application/vnd.microsoft.card.hero"


def test_render_of_whatsapp_cards_has_the_whatsapp_message(h):
    card = h.create(channel="WHATSAPP", localizations={"en": {"title": "Hi", "buttons": [button("imBack", "Yes", "y")]}})
    result = render(h, card["id"])["result"]
    assert result["whatsapp"] == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "type": "interactive",
        "interactive": {"type": "button", "body": {"text": "Hi"},
                        "action": {"buttons": [{"type": "reply", "reply": {"id": "y", "title": "Yes"}}]}}}


def test_render_ignores_the_template(h):
    plain = h.create(name="Plain", channel="WHATSAPP")
    linked = h.create(name="Linked", channel="WHATSAPP", template_id=h.template())
    assert render(h, plain["id"])["result"] == render(h, linked["id"])["result"]


def test_render_of_another_tenants_card_is_not_found(h):
    other = CardTenant(h.conn)
    foreign = other.create()
    assert render(h, foreign["id"])["error"]["code"] == -32004
    assert render(h, "hcd_" + "0" * 26)["error"]["code"] == -32004


def test_render_refuses_unknown_params(h):
    card = h.create()
    assert paths(render(h, card["id"], lang="en")["error"]) == {"lang"}


# ---------------------------------------------------------------- list filter and deletion


def list_ids(h, **filters) -> list[str]:
    return [item["id"] for item in ok(h.conn, "hero_cards.list", tenant_id=h.tenant_id, limit=1000, **filters)["items"]]


def test_list_filter_channel(h):
    web = h.create(name="A", channel="WEBCHAT")
    wa = h.create(name="A", channel="WHATSAPP")
    apple = h.create(name="A", channel="APPLE")
    web2 = h.create(name="B", channel="WEBCHAT")
    assert list_ids(h) == [web["id"], wa["id"], apple["id"], web2["id"]]
    assert list_ids(h, channel="WEBCHAT") == [web["id"], web2["id"]]
    assert list_ids(h, channel="WHATSAPP") == [wa["id"]]
    assert list_ids(h, channel="APPLE") == [apple["id"]]
    assert list_ids(h, channel="WEBCHAT", name_prefix="b") == [web2["id"]]
    other = CardTenant(h.conn)
    other.create(channel="WHATSAPP")
    assert list_ids(h, channel="WHATSAPP") == [wa["id"]]


@pytest.mark.parametrize("channel", ["webchat", "SMS", ""])
def test_list_filter_refuses_unknown_channels(h, channel):
    assert invalid(h.conn, "hero_cards.list", tenant_id=h.tenant_id, channel=channel) == {"channel"}


def test_card_can_be_deleted_and_then_its_template(h):
    template_id = h.template()
    card = h.create(channel="WHATSAPP", template_id=template_id)
    assert fail(h.conn, "templates.delete", -32009, tenant_id=h.tenant_id, id=template_id)["data"]["reason"] == "in_use"
    assert ok(h.conn, "hero_cards.delete", tenant_id=h.tenant_id, id=card["id"])["deleted"] is True
    assert ok(h.conn, "templates.delete", tenant_id=h.tenant_id, id=template_id)["deleted"] is True
