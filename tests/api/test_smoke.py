import re

from tests.api.conftest import bearer
from tests.builders import add_target, cast_of, start


def test_own_token_reads_the_child_and_its_pep(world, tokens, client):
    pep = start(cast_of(world))
    add_target(pep, world.dt)
    response = client.get("/api/v1/children/", **bearer(tokens["own"]))
    assert response.status_code == 200, response.content
    ids = {c["id"] for c in response.json()["results"]}
    assert ids == {world.child.pk, world.other_child.pk}
    response = client.get(f"/api/v1/peps/{pep.pk}/", **bearer(tokens["own"]))
    assert response.status_code == 200, response.content
    assert len(response.json()["targets"]) == 1
    assert client.get(f"/api/v1/peps/{pep.pk}/", **bearer(tokens["other"])).status_code == 404
    assert client.get("/api/v1/schema/").status_code == 200


def test_the_docs_pages_load_nothing_from_the_internet(client):
    for path in ("/api/v1/docs/", "/api/v1/swagger/"):
        html = client.get(path).content.decode()
        assert "drf_spectacular_sidecar" in html, path
        assert not re.search(r"""(src|href)=["']https?://""", html), path
