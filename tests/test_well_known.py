"""What browsers and crawlers ask for by themselves: the icon and robots.txt."""


def test_robots_txt_lets_the_board_be_read_and_keeps_private_pages_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    rules = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in rules
    assert "Disallow: /" not in rules
    for private in ("/login/", "/account/", "/admin/", "/setup/"):
        assert f"Disallow: {private}" in rules


def test_the_site_has_an_icon(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in page
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200
    assert ico.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
