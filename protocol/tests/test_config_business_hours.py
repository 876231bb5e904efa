"""Business hours (`business_hours.*`, issue 15): the rules of docs/families/business_hours.md over
the protocol, references from groups and WhatsApp numbers, export/apply by name, and
`business_hours.check` at the Europe/Prague switch days (2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00)."""

from __future__ import annotations

import pytest

from config_helpers import absent_id, assert_conflict, assert_invalid, assert_not_found, fail, new_tenant, ok, unique_phone

WEEK = {"mon": [{"open": "13:00", "close": "17:00"}, {"open": "08:00", "close": "12:00"}],
        "fri": [{"open": "22:00", "close": "02:00"}]}


@pytest.fixture
def tenant(admin):
    return new_tenant(admin)


def create(admin, tenant, **fields):
    fields = {"name": "Office", "timezone": "Europe/Prague", "week": WEEK, **fields}
    return ok(admin, "business_hours.create", {"tenant_id": tenant, **fields})


def refused(admin, tenant, **fields):
    fields = {"name": "Office", "timezone": "Europe/Prague", "week": WEEK, **fields}
    return fail(admin, "business_hours.create", {"tenant_id": tenant, **fields})


def check(admin, tenant, hours, at):
    return ok(admin, "business_hours.check", {"tenant_id": tenant, "id": hours["id"], "at": at})


def test_create_get_list_update_delete(admin, tenant):
    hours = create(admin, tenant, name=" Office ", special_days=[{"date": "2026-12-24", "closed": True, "label": "Christmas Eve"}])
    assert hours["id"].startswith("bhr_") and hours["name"] == "Office" and hours["timezone"] == "Europe/Prague"
    assert hours["week"]["mon"] == [{"open": "08:00", "close": "12:00"}, {"open": "13:00", "close": "17:00"}]
    assert hours["week"]["sun"] == [] and set(hours["week"]) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    assert hours["special_days"] == [{"date": "2026-12-24", "closed": True, "intervals": [], "label": "Christmas Eve"}]
    assert ok(admin, "business_hours.get", {"tenant_id": tenant, "id": hours["id"]}) == hours
    page = ok(admin, "business_hours.list", {"tenant_id": tenant, "name_prefix": "OFF"})
    assert [item["id"] for item in page["items"]] == [hours["id"]]
    updated = ok(admin, "business_hours.update", {"tenant_id": tenant, "id": hours["id"], "special_days": None, "timezone": "UTC"})
    assert updated["special_days"] == [] and updated["timezone"] == "UTC" and updated["revision"] > hours["revision"]
    same = ok(admin, "business_hours.update", {"tenant_id": tenant, "id": hours["id"], "timezone": "UTC"})
    assert same["revision"] == updated["revision"]
    ok(admin, "business_hours.delete", {"tenant_id": tenant, "id": hours["id"]})
    assert_not_found(fail(admin, "business_hours.get", {"tenant_id": tenant, "id": hours["id"]}), "business_hours", hours["id"])


def test_names_are_unique_ignoring_case(admin, tenant):
    first = create(admin, tenant)
    error = assert_conflict(refused(admin, tenant, name="OFFICE"), "already_exists", "name")
    assert error["data"]["existing_id"] == first["id"]


def test_every_problem_is_reported_at_its_path(admin, tenant):
    week = {"mon": [{"open": "9:00", "close": "17:00"}, {"open": "24:00", "close": "24:01"}],
            "tue": [{"open": "09:00", "close": "09:00"}], "monday": []}
    special = [{"date": "2026-02-30", "closed": True}, {"date": "2026-05-01"},
               {"date": "2026-05-02", "closed": True, "intervals": [{"open": "08:00", "close": "12:00"}]}]
    assert_invalid(refused(admin, tenant, timezone="Europe/Atlantis", week=week, special_days=special), {
        "timezone": "IANA", "week.mon[0].open": "HH:MM", "week.mon[1].open": "HH:MM", "week.mon[1].close": "24:00",
        "week.tue[0].close": "differ", "week.monday": "not a known", "special_days[0].date": "YYYY-MM-DD",
        "special_days[1].intervals": "closed: true", "special_days[2].intervals": "empty"})
    assert_invalid(refused(admin, tenant, name=None, timezone=None, week=None), {"name": None, "timezone": None, "week": None})


def test_overlaps_are_refused_at_the_offending_interval(admin, tenant):
    assert_invalid(refused(admin, tenant, week={"wed": [{"open": "11:00", "close": "13:00"}, {"open": "09:00", "close": "12:00"}]}),
                   {"week.wed[0]": "overlaps week.wed[1]"})
    # An after-midnight tail into the next day, Sunday into Monday included.
    assert_invalid(refused(admin, tenant, week={"sun": [{"open": "23:00", "close": "01:00"}], "mon": [{"open": "00:30", "close": "05:00"}]}),
                   {"week.sun[0]": "next day (mon)"})
    # A special day (2026-03-03 is a Tuesday) against Monday's tail.
    assert_invalid(refused(admin, tenant, week={"mon": [{"open": "22:00", "close": "02:00"}]},
                           special_days=[{"date": "2026-03-03", "intervals": [{"open": "01:00", "close": "03:00"}]}]),
                   {"special_days[0].intervals[0]": "day before"})
    touching = create(admin, tenant, week={"fri": [{"open": "22:00", "close": "02:00"}], "sat": [{"open": "02:00", "close": "04:00"}]})
    assert touching["week"]["sat"] == [{"open": "02:00", "close": "04:00"}]


def test_groups_and_numbers_refer_to_business_hours_and_delete_is_refused_while_they_do(admin, tenant):
    hours = create(admin, tenant)
    group = ok(admin, "groups.create", {"tenant_id": tenant, "name": "Support", "business_hours_id": hours["id"]})
    assert group["business_hours_id"] == hours["id"]
    plain = ok(admin, "groups.create", {"tenant_id": tenant, "name": "Plain"})
    assert plain["business_hours_id"] is None
    number = ok(admin, "whatsapp_numbers.create", {
        "tenant_id": tenant, "name": "Main", "phone_number": unique_phone(), "waba_id": "1", "routing_group_id": plain["id"],
        "business_hours_id": hours["id"]})
    error = assert_conflict(fail(admin, "business_hours.delete", {"tenant_id": tenant, "id": hours["id"]}), "in_use")
    assert sorted((r["type"], r["id"], r["field"]) for r in error["data"]["referrers"]) == sorted([
        ("group", group["id"], "business_hours_id"), ("whatsapp_number", number["id"], "business_hours_id")])
    missing = absent_id("bhr")
    assert_not_found(fail(admin, "groups.update", {"tenant_id": tenant, "id": plain["id"], "business_hours_id": missing}),
                     "business_hours", missing)
    assert_invalid(fail(admin, "groups.update", {"tenant_id": tenant, "id": plain["id"], "business_hours_id": plain["id"]}),
                   {"business_hours_id": "bhr_"})
    ok(admin, "groups.update", {"tenant_id": tenant, "id": group["id"], "business_hours_id": None})
    ok(admin, "whatsapp_numbers.update", {"tenant_id": tenant, "id": number["id"], "business_hours_id": None})
    ok(admin, "business_hours.delete", {"tenant_id": tenant, "id": hours["id"]})


def test_another_tenants_business_hours_cannot_be_referred_to(admin, tenant):
    other = new_tenant(admin)
    theirs = create(admin, other)
    assert_not_found(fail(admin, "groups.create", {"tenant_id": tenant, "name": "Support", "business_hours_id": theirs["id"]}),
                     "business_hours", theirs["id"])
    assert_not_found(fail(admin, "business_hours.check", {"tenant_id": tenant, "id": theirs["id"]}), "business_hours", theirs["id"])


def test_export_and_apply_name_business_hours(admin, tenant):
    hours = create(admin, tenant, name="Prague office")
    ok(admin, "groups.create", {"tenant_id": tenant, "name": "Support", "business_hours_id": hours["id"]})
    document = ok(admin, "config.export", {"tenant_id": tenant})
    assert [item["name"] for item in document["business_hours"]] == ["Prague office"]
    assert document["business_hours"][0]["week"] == hours["week"]
    group = next(item for item in document["groups"] if item["name"] == "Support")
    assert group["business_hours"] == "Prague office" and "business_hours_id" not in group
    # Applying the export changes nothing; applying it to another tenant rebuilds the reference by name.
    same = ok(admin, "config.apply", {"tenant_id": tenant, "document": document})
    assert same["create"] == [] and same["update"] == [] and same["delete"] == []
    copy = new_tenant(admin)
    plan = ok(admin, "config.apply", {"tenant_id": copy, "document": document})
    assert [entry["family"] for entry in plan["create"]][:2] == ["business_hours", "groups"]
    assert ok(admin, "config.export", {"tenant_id": copy})["business_hours"] == document["business_hours"]
    copied = ok(admin, "groups.list", {"tenant_id": copy})["items"][0]
    copied_hours = ok(admin, "business_hours.list", {"tenant_id": copy})["items"][0]
    assert copied["business_hours_id"] == copied_hours["id"] != hours["id"]
    # An unknown name is refused at the item's member; pruning referenced hours is in_use.
    document["groups"][0]["business_hours"] = "Nowhere"
    assert_invalid(fail(admin, "config.apply", {"tenant_id": copy, "document": document}),
                   {"document.groups[0].business_hours": "no business_hours"})
    pruned = {"version": 1, "business_hours": []}
    assert_conflict(fail(admin, "config.apply", {"tenant_id": copy, "document": pruned, "prune": True}), "in_use")


def test_check_across_the_spring_switch(admin, tenant):
    hours = create(admin, tenant, week={"sat": [{"open": "22:00", "close": "06:00"}], "sun": [{"open": "06:00", "close": "02:30"}]})
    # Saturday night 22:00 CET to Sunday 06:00 CEST is seven hours.
    night = check(admin, tenant, hours, "2026-03-28T21:30:00Z")
    assert night == {"open": True, "next_change": "2026-03-30T00:30:00.000Z", "timezone": "Europe/Prague",
                     "at": "2026-03-28T21:30:00.000Z", "local_time": "2026-03-28T22:30:00+01:00",
                     "next_change_local": "2026-03-30T02:30:00+02:00"}
    gap = create(admin, tenant, name="Gap", week={"sun": [{"open": "00:00", "close": "02:30"}, {"open": "02:40", "close": "05:00"}]})
    before = check(admin, tenant, gap, "2026-03-29T00:59:00Z")  # 01:59 CET
    assert before["open"] is True and before["next_change"] == "2026-03-29T03:00:00.000Z"  # 02:30 and 02:40 both are 03:00 CEST
    assert check(admin, tenant, gap, "2026-03-29T01:00:00Z")["local_time"] == "2026-03-29T03:00:00+02:00"
    inside = create(admin, tenant, name="Inside", week={"sun": [{"open": "02:15", "close": "02:45"}]})
    never = check(admin, tenant, inside, "2026-03-29T03:30:00+02:00")
    assert never["open"] is False and never["next_change_local"] == "2026-04-05T02:15:00+02:00"


def test_check_across_the_autumn_switch(admin, tenant):
    hours = create(admin, tenant, week={"sun": [{"open": "00:00", "close": "02:30"}, {"open": "10:00", "close": "12:00"}]})
    first = check(admin, tenant, hours, "2026-10-25T02:15:00+02:00")
    assert first["open"] is True and first["next_change"] == "2026-10-25T00:30:00.000Z"  # the first 02:30 (CEST)
    second = check(admin, tenant, hours, "2026-10-25T02:15:00+01:00")  # the same wall time an hour later
    assert second["open"] is False and second["local_time"] == "2026-10-25T02:15:00+01:00"
    assert second["next_change_local"] == "2026-10-25T10:00:00+01:00"
    longer = create(admin, tenant, name="Longer", week={"sun": [{"open": "01:00", "close": "03:00"}]})
    inside = check(admin, tenant, longer, "2026-10-25T01:30:00Z")
    assert inside["open"] is True and inside["next_change"] == "2026-10-25T02:00:00.000Z"  # three hours in all


def test_special_days_replace_the_weekday_but_not_the_previous_nights_tail(admin, tenant):
    hours = create(admin, tenant, week={"sat": [{"open": "22:00", "close": "06:00"}], "sun": [{"open": "10:00", "close": "12:00"}]},
                   special_days=[{"date": "2026-10-25", "closed": True}])
    tail = check(admin, tenant, hours, "2026-10-25T04:00:00Z")
    assert tail["open"] is True and tail["next_change"] == "2026-10-25T05:00:00.000Z"  # 06:00 CET
    closed = check(admin, tenant, hours, "2026-10-25T10:00:00Z")
    assert closed["open"] is False and closed["next_change_local"] == "2026-10-31T22:00:00+01:00"


def test_check_without_changes_within_fourteen_days_and_bad_params(admin, tenant):
    never = create(admin, tenant, week={})
    result = check(admin, tenant, never, "2026-06-01T12:00:00Z")
    assert result["open"] is False and result["next_change"] is None and result["next_change_local"] is None
    assert "open" in ok(admin, "business_hours.check", {"tenant_id": tenant, "id": never["id"]})
    assert_invalid(fail(admin, "business_hours.check", {"tenant_id": tenant, "id": never["id"], "at": "2026-06-01 12:00"}),
                   {"at": "RFC 3339"})
    missing = absent_id("bhr")
    assert_not_found(fail(admin, "business_hours.check", {"tenant_id": tenant, "id": missing}), "business_hours", missing)
