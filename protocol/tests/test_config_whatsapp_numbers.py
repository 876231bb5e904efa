"""WhatsApp numbers (`whatsapp_numbers.*`): every rule of issue 3 and docs/families/whatsapp_numbers.md."""

from __future__ import annotations

import pytest

from config_helpers import (
    absent_id, assert_conflict, assert_invalid, assert_not_found, create_group, fail, new_tenant, number_params, ok,
    unique_digits, unique_phone,
)


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


@pytest.fixture
def group(admin, tenant):
    return create_group(admin, tenant, name="Routing")["id"]


def create(admin, tenant, group, /, **fields):
    return ok(admin, "whatsapp_numbers.create", number_params(tenant, group, **fields))


def refused(admin, tenant, group, /, **fields):
    return fail(admin, "whatsapp_numbers.create", number_params(tenant, group, **fields))


def without(params, *names):
    return {key: value for key, value in params.items() if key not in names}


# ---------------------------------------------------------------- shape and defaults


def test_create_returns_every_field_with_defaults(admin, tenant, group):
    phone = unique_phone()
    number = create(admin, tenant, group, name="Customer care", phone_number=phone, waba_id="104996122399160")
    assert number["id"].startswith("wan_") and number["tenant_id"] == tenant
    expected = {
        "name": "Customer care", "phone_number": phone, "provider": "CLOUD_API", "waba_id": "104996122399160",
        "phone_number_id": None, "routing_group_id": group, "business_hours_id": None, "verified_name": None, "status": "PENDING",
        "quality_rating": "NA", "messaging_limit_tier": None, "name_status": None, "code_verification_status": None,
        "throughput_level": None, "account_mode": None, "profile": {}, "enabled": True,
    }
    assert {key: number[key] for key in expected} == expected
    assert set(number) == set(expected) | {"id", "tenant_id", "revision", "created_at", "updated_at"}
    assert ok(admin, "whatsapp_numbers.get", {"tenant_id": tenant, "id": number["id"]}) == number


@pytest.mark.parametrize("missing", ["name", "phone_number", "waba_id", "routing_group_id"])
def test_required_fields(admin, tenant, group, missing):
    params = without(number_params(tenant, group), missing)
    assert_invalid(fail(admin, "whatsapp_numbers.create", params), {missing: "is required"})


# ---------------------------------------------------------------- name


@pytest.mark.parametrize("name", ["", "  ", "n" * 101])
def test_name_length_refused(admin, tenant, group, name):
    assert_invalid(refused(admin, tenant, group, name=name), {"name": "1 to 100"})


@pytest.mark.parametrize("name", ["n", "n" * 100, "ř" * 100])
def test_name_length_accepted(admin, tenant, group, name):
    assert create(admin, tenant, group, name=name)["name"] == name


def test_name_control_characters_refused(admin, tenant, group):
    assert_invalid(refused(admin, tenant, group, name="Care\u0000line"), {"name": "control characters"})


def test_name_unique_in_tenant_ignoring_case(admin, tenant, group):
    first = create(admin, tenant, group, name="Customer care")
    error = assert_conflict(refused(admin, tenant, group, name="CUSTOMER CARE"), "already_exists", field="name")
    assert error["data"]["existing_id"] == first["id"]
    other = new_tenant(admin)
    assert create(admin, other, create_group(admin, other)["id"], name="customer care")["name"] == "customer care"


# ---------------------------------------------------------------- phone number


PHONE_FORMATS = [
    lambda d: f"+{d[:3]} ({d[3:6]}) {d[6:9]}-{d[9:]}",
    lambda d: f"+{d[:3]} {d[3:6]} {d[6:9]} {d[9:]}",
    lambda d: f"+{d[:3]}-{d[3:6]}-{d[6:9]}-{d[9:]}",
    lambda d: f"(+{d[:3]}){d[3:]}",
    lambda d: f"  +{d}  ",
    lambda d: f"+{d}",
]


@pytest.mark.parametrize("index", range(len(PHONE_FORMATS)))
def test_phone_number_normalised(admin, tenant, group, index):
    digits = unique_phone()[1:]
    raw = PHONE_FORMATS[index](digits)
    assert create(admin, tenant, group, phone_number=raw)["phone_number"] == "+" + digits


def test_phone_number_length_bounds(admin, tenant, group):
    shortest = "+1" + unique_digits(6)        # 7 digits
    longest = "+1" + unique_digits(14)        # 15 digits
    assert create(admin, tenant, group, phone_number=shortest)["phone_number"] == shortest
    assert create(admin, tenant, group, phone_number=longest)["phone_number"] == longest
    assert_invalid(refused(admin, tenant, group, phone_number=shortest[:-1]), {"phone_number": "E.164"})
    assert_invalid(refused(admin, tenant, group, phone_number=longest + "1"), {"phone_number": "E.164"})


@pytest.mark.parametrize("raw", [
    "420601123456",          # no plus
    "00420601123456",        # international prefix instead of +
    "+0420601123456",        # country code starting with 0
    "+123456",               # 6 digits
    "+1234567890123456",     # 16 digits
    "+420.601.123.456",      # dots are not stripped
    "+420601123456x",
    "+420 601\t123 456",     # only spaces, dashes and parentheses are stripped
    "+４２０６０１１２３４５６",  # fullwidth digits
    "+",
    "",
])
def test_phone_number_refused(admin, tenant, group, raw):
    assert_invalid(refused(admin, tenant, group, phone_number=raw), {"phone_number": "E.164"})


def test_phone_number_must_be_a_string(admin, tenant, group):
    assert_invalid(refused(admin, tenant, group, phone_number=420601123456), {"phone_number": "must be a string"})


def test_phone_number_unique_across_tenants_without_revealing_the_holder(admin, tenant, group):
    phone = unique_phone()
    holder = create(admin, tenant, group, phone_number=phone)
    other = new_tenant(admin)
    other_group = create_group(admin, other)["id"]
    spaced = phone[:4] + " " + phone[4:7] + "-" + phone[7:]
    error = refused(admin, other, other_group, phone_number=spaced)
    assert_conflict(error, "already_exists", field="phone_number")
    assert error["data"] == {"kind": "conflict", "reason": "already_exists", "field": "phone_number"}, \
        "no existing_id, no tenant: the conflict must not reveal who holds the number"
    for secret in (holder["id"], tenant, holder["name"]):
        assert secret not in error["message"]
    # In the same tenant it is taken as well (a second number with the same phone).
    assert_conflict(refused(admin, tenant, group, phone_number=phone), "already_exists", field="phone_number")


def test_phone_number_conflict_on_update_and_release_after_change_and_delete(admin, tenant, group):
    phone = unique_phone()
    first = create(admin, tenant, group, phone_number=phone)
    other = new_tenant(admin)
    other_group = create_group(admin, other)["id"]
    second = create(admin, other, other_group)
    error = fail(admin, "whatsapp_numbers.update", {"tenant_id": other, "id": second["id"], "phone_number": phone})
    assert error["data"] == {"kind": "conflict", "reason": "already_exists", "field": "phone_number"}
    # Changing the number frees the old one...
    ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": first["id"], "phone_number": unique_phone()})
    moved = ok(admin, "whatsapp_numbers.update", {"tenant_id": other, "id": second["id"], "phone_number": phone})
    assert moved["phone_number"] == phone
    # ...and so does deleting it.
    ok(admin, "whatsapp_numbers.delete", {"tenant_id": other, "id": second["id"]})
    assert create(admin, tenant, group, phone_number=phone)["phone_number"] == phone


# ---------------------------------------------------------------- Meta ids


def test_phone_number_id_unique_across_tenants_without_revealing_the_holder(admin, tenant, group):
    meta_id = unique_digits()
    holder = create(admin, tenant, group, phone_number_id=meta_id)
    other = new_tenant(admin)
    error = refused(admin, other, create_group(admin, other)["id"], phone_number_id=meta_id)
    assert error["data"] == {"kind": "conflict", "reason": "already_exists", "field": "phone_number_id"}
    assert holder["id"] not in error["message"] and tenant not in error["message"]
    assert_conflict(refused(admin, tenant, group, phone_number_id=meta_id), "already_exists", field="phone_number_id")


def test_phone_number_id_conflict_on_update(admin, tenant, group):
    meta_id = unique_digits()
    create(admin, tenant, group, phone_number_id=meta_id)
    other = new_tenant(admin)
    number = create(admin, other, create_group(admin, other)["id"])
    error = fail(admin, "whatsapp_numbers.update", {"tenant_id": other, "id": number["id"], "phone_number_id": meta_id})
    assert error["data"] == {"kind": "conflict", "reason": "already_exists", "field": "phone_number_id"}


def test_absent_phone_number_ids_do_not_clash(admin, tenant, group):
    create(admin, tenant, group)
    assert create(admin, tenant, group, phone_number_id=None)["phone_number_id"] is None


@pytest.mark.parametrize("field", ["waba_id", "phone_number_id"])
def test_meta_id_bounds(admin, tenant, group, field):
    longest = unique_digits(32)
    created = create(admin, tenant, group, **{field: " " + longest + " "})
    assert created[field] == longest, "surrounding white space is removed"
    assert create(admin, tenant, group, **{field: "7" if field == "waba_id" else unique_digits(1)})[field]
    for bad in [unique_digits(33), "", "12a4", "-123", "１２３", "12 34"]:
        assert_invalid(refused(admin, tenant, group, **{field: bad}), {field: "1 to 32 digits"})
    assert_invalid(refused(admin, tenant, group, **{field: 123}), {field: "must be a string"})


def test_meta_ids_are_editable(admin, tenant, group):
    number = create(admin, tenant, group, waba_id="111", phone_number_id=unique_digits())
    new_id = unique_digits()
    updated = ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "waba_id": "222",
                                                    "phone_number_id": new_id})
    assert (updated["waba_id"], updated["phone_number_id"]) == ("222", new_id)
    cleared = ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "phone_number_id": None})
    assert cleared["phone_number_id"] is None


# ---------------------------------------------------------------- enumerations


ENUMS = [
    ("provider", ["CLOUD_API", "DIALOG360"]),
    ("status", ["CONNECTED", "DISCONNECTED", "UNVERIFIED", "PENDING", "FLAGGED", "RESTRICTED"]),
    ("quality_rating", ["GREEN", "YELLOW", "RED", "NA"]),
    # Meta's current tiers (TIER_2K, and TIER_NOT_SET), with its earlier TIER_1K still accepted.
    ("messaging_limit_tier", ["TIER_50", "TIER_250", "TIER_1K", "TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED",
                              "TIER_NOT_SET"]),
    ("name_status", ["APPROVED", "AVAILABLE_WITHOUT_REVIEW", "DECLINED", "EXPIRED", "PENDING_REVIEW", "NONE"]),
    ("code_verification_status", ["VERIFIED", "UNVERIFIED", "NOT_VERIFIED", "EXPIRED"]),
    ("throughput_level", ["STANDARD", "HIGH"]),
    ("account_mode", ["LIVE", "SANDBOX"]),
]


@pytest.mark.parametrize("field,values", ENUMS)
def test_enumeration_values_accepted(admin, tenant, group, field, values):
    for value in values:
        assert create(admin, tenant, group, **{field: value})[field] == value


@pytest.mark.parametrize("field,values", ENUMS)
def test_enumeration_other_values_refused(admin, tenant, group, field, values):
    for bad in [values[0].lower(), "OTHERWISE", "", 1]:
        assert_invalid(refused(admin, tenant, group, **{field: bad}), {field: None})


# ---------------------------------------------------------------- routing group


def test_routing_group_must_be_a_group_id(admin, tenant, group):
    assert_invalid(refused(admin, tenant, group, routing_group_id="grp_1"), {"routing_group_id": "group id"})
    assert_invalid(refused(admin, tenant, group, routing_group_id=absent_id("wan")), {"routing_group_id": "group id"})
    assert_invalid(refused(admin, tenant, group, routing_group_id=None), {"routing_group_id": "is required"})


def test_routing_group_that_does_not_exist_is_not_found(admin, tenant, group):
    missing = absent_id("grp")
    assert_not_found(refused(admin, tenant, group, routing_group_id=missing), "group", missing)


def test_routing_group_of_another_tenant_is_not_found(admin, tenant, group):
    other = new_tenant(admin)
    foreign = create_group(admin, other, name="Foreign")["id"]
    error = assert_not_found(refused(admin, tenant, group, routing_group_id=foreign), "group", foreign)
    missing = absent_id("grp")
    assert error["message"] == refused(admin, tenant, group, routing_group_id=missing)["message"].replace(missing, foreign)
    number = create(admin, tenant, group)
    update = fail(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "routing_group_id": foreign})
    assert_not_found(update, "group", foreign)
    update = fail(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "routing_group_id": None})
    assert_invalid(update, {"routing_group_id": "is required"})


# ---------------------------------------------------------------- verified name, enabled


def test_verified_name(admin, tenant, group):
    assert create(admin, tenant, group, verified_name="v" * 256)["verified_name"] == "v" * 256
    assert create(admin, tenant, group, verified_name="  ")["verified_name"] is None, "empty text is stored as null"
    assert_invalid(refused(admin, tenant, group, verified_name="v" * 257), {"verified_name": "at most 256"})
    assert_invalid(refused(admin, tenant, group, verified_name="a\nb"), {"verified_name": "control characters"})


def test_enabled_must_be_boolean(admin, tenant, group):
    assert create(admin, tenant, group, enabled=False)["enabled"] is False
    assert_invalid(refused(admin, tenant, group, enabled=0), {"enabled": "must be a boolean"})


# ---------------------------------------------------------------- profile


def test_profile_members_at_their_limits_accepted(admin, tenant, group):
    profile = {
        "about": "a" * 139, "address": "b" * 256, "description": "c" * 400 + "\n" + "d" * 111,
        "email": ("e" * 64 + "@" + "f" * 59 + ".cz"), "websites": ["https://acme.example", "https://" + "w" * 248],
        "vertical": "RETAIL", "profile_picture_url": "https://pps.whatsapp.net/v/t61.24/p.jpg",
    }
    assert len(profile["email"]) == 127 and len(profile["websites"][1]) == 256
    number = create(admin, tenant, group, profile=profile)
    assert number["profile"] == profile


def test_profile_email_of_128_characters_accepted(admin, tenant, group):
    email = "e" * 64 + "@" + "f" * 60 + ".cz"
    assert len(email) == 128
    assert create(admin, tenant, group, profile={"email": email})["profile"] == {"email": email}


def test_profile_members_over_their_limits_refused(admin, tenant, group):
    profile = {
        "about": "a" * 140, "address": "b" * 257, "description": "c" * 513,
        "email": "e" * 64 + "@" + "f" * 61 + ".cz", "websites": ["https://a.example", "https://b.example", "https://c.example"],
    }
    assert_invalid(refused(admin, tenant, group, profile=profile), {
        "profile.about": "at most 139", "profile.address": "at most 256", "profile.description": "at most 512",
        "profile.email": "at most 128", "profile.websites": "at most 2"})


def test_profile_limits_count_characters_not_bytes(admin, tenant, group):
    number = create(admin, tenant, group, profile={"about": "😀" * 139, "address": "ž" * 256})
    assert number["profile"]["about"] == "😀" * 139
    assert_invalid(refused(admin, tenant, group, profile={"about": "😀" * 140}), {"profile.about": "at most 139"})


def test_profile_single_line_members(admin, tenant, group):
    error = refused(admin, tenant, group, profile={"about": "a\nb", "address": "street\n1", "description": "ok\nfine"})
    assert_invalid(error, {"profile.about": "control characters", "profile.address": "control characters"})


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "@acme.example", "a@@acme.example", "a b@acme.example",
                                   "a@acme..example", "a@"])
def test_profile_email_must_be_valid(admin, tenant, group, email):
    assert_invalid(refused(admin, tenant, group, profile={"email": email}), {"profile.email": "e-mail"})


@pytest.mark.parametrize("url", ["ftp://acme.example", "acme.example", "https://", "http://",
                                 "https://acme example", "//acme.example", "javascript:alert(1)"])
def test_profile_websites_must_be_http_or_https(admin, tenant, group, url):
    error = refused(admin, tenant, group, profile={"websites": ["https://ok.example", url]})
    assert_invalid(error, {"profile.websites[1]": "http or https"})


def test_profile_websites_may_be_http(admin, tenant, group):
    # Meta: "http:// or https:// must be included".
    sites = ["http://acme.example", "https://acme.example/cs"]
    assert create(admin, tenant, group, profile={"websites": sites})["profile"]["websites"] == sites


def test_profile_vertical_from_metas_list(admin, tenant, group):
    for vertical in ["ALCOHOL", "PROF_SERVICES", "RESTAURANT", "OTC_DRUGS", "NOT_A_BIZ", "UNDEFINED"]:
        assert create(admin, tenant, group, profile={"vertical": vertical})["profile"] == {"vertical": vertical}
    assert_invalid(refused(admin, tenant, group, profile={"vertical": "INDUSTRY"}), {"profile.vertical": None})


@pytest.mark.parametrize("url", ["http://pps.example/p.jpg", "pps.example/p.jpg", "2:c2FtcGxl"])
def test_profile_picture_url_must_be_https(admin, tenant, group, url):
    assert_invalid(refused(admin, tenant, group, profile={"profile_picture_url": url}), {"profile.profile_picture_url": "https"})


def test_metas_phone_number_example_syncs_in(admin, tenant, group):
    # The fields of Meta's GET /<PHONE_NUMBER_ID> examples, as a sync writes them.
    number = create(admin, tenant, group, verified_name="Support Number", quality_rating="GREEN",
                    code_verification_status="VERIFIED", name_status="AVAILABLE_WITHOUT_REVIEW", status="CONNECTED",
                    messaging_limit_tier="TIER_250", throughput_level="STANDARD", account_mode="LIVE")
    updated = ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "messaging_limit_tier": "TIER_2K",
                                                    "throughput_level": "HIGH"})
    assert (updated["messaging_limit_tier"], updated["throughput_level"], updated["name_status"]) == \
        ("TIER_2K", "HIGH", "AVAILABLE_WITHOUT_REVIEW")


def test_profile_website_length(admin, tenant, group):
    error = refused(admin, tenant, group, profile={"websites": ["https://" + "w" * 249]})
    assert_invalid(error, {"profile.websites[0]": "at most 256"})


def test_profile_websites_distinct(admin, tenant, group):
    error = refused(admin, tenant, group, profile={"websites": ["https://a.example", "https://a.example"]})
    assert_invalid(error, {"profile.websites[1]": "duplicates"})


def test_profile_empty_members_count_as_unset(admin, tenant, group):
    number = create(admin, tenant, group, profile={"about": "", "address": "  ", "websites": [], "email": None})
    assert number["profile"] == {}


def test_profile_unknown_member_and_wrong_type(admin, tenant, group):
    assert_invalid(refused(admin, tenant, group, profile={"about": "x", "logo": "RETAIL"}),
                   {"profile.logo": "is not a known parameter"})
    assert_invalid(refused(admin, tenant, group, profile="about"), {"profile": "must be an object"})
    assert_invalid(refused(admin, tenant, group, profile={"websites": "https://a.example"}),
                   {"profile.websites": "must be an array"})


# ---------------------------------------------------------------- list filters


def test_list_filters_by_status_and_routing_group(admin, tenant, group):
    second_group = create_group(admin, tenant, name="Second")["id"]
    connected = create(admin, tenant, group, status="CONNECTED")
    pending = create(admin, tenant, second_group)
    by_status = ok(admin, "whatsapp_numbers.list", {"tenant_id": tenant, "status": "CONNECTED"})["items"]
    assert [n["id"] for n in by_status] == [connected["id"]]
    by_group = ok(admin, "whatsapp_numbers.list", {"tenant_id": tenant, "routing_group_id": second_group})["items"]
    assert [n["id"] for n in by_group] == [pending["id"]]
    assert_invalid(fail(admin, "whatsapp_numbers.list", {"tenant_id": tenant, "status": "connected"}), {"status": None})
