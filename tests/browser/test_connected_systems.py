"""The Virtual School head connects a system: a token made (its secret shown once), then revoked;
a webhook added. Every page is checked with axe as it arrives."""

import re

from playwright.sync_api import expect

from openpep.api.models import ApiToken, Webhook


def test_the_head_makes_and_revokes_a_token_and_adds_a_webhook(browse, world):
    page = browse.page
    browse.sign_in(world.vs_admin)
    browse.follow("Connected systems", heading="Connected systems")
    expect(page.get_by_text("No tokens yet.")).to_be_visible()

    browse.follow("Make an API token", heading="Make an API token")
    browse.press("Make token", heading="Make an API token")
    browse.expect_errors("Enter name of the connected system", "Select what it may do")
    page.get_by_label("Name of the connected system").fill("Mosaic")
    page.get_by_label("Read and write").check()
    browse.press("Make token", heading="Token made for Mosaic")
    secret = page.locator("#secret").inner_text()
    assert re.fullmatch(r"opep_[0-9a-f]{8}_\S+", secret)
    expect(page.get_by_text("It will not be shown again")).to_be_visible()

    browse.follow("Back to connected systems", heading="Connected systems")
    expect(page.get_by_text(secret)).to_have_count(0)
    browse.press("Revoke the token of Mosaic", heading="Connected systems")
    browse.expect_success("The token of Mosaic has been revoked")
    assert ApiToken.objects.get(name="Mosaic").revoked_at is not None

    browse.follow("Add a webhook", heading="Add a webhook")
    page.get_by_label("Name of the connected system").fill("Mosaic")
    page.get_by_label("Address to send events to").fill("https://mosaic.example/openpep")
    page.get_by_label("PEP signed off").check()
    browse.press("Add webhook", heading="Webhook added for Mosaic")
    expect(page.locator("#secret")).to_have_text(Webhook.objects.get().secret)
    browse.follow("Back to connected systems", heading="Connected systems")
    browse.follow("Delivery log of Mosaic", heading="Delivery log: Mosaic")
    expect(page.get_by_text("Nothing sent yet.")).to_be_visible()
