"""Sessions end everywhere: sign-out in one browser, an admin ending a user's sessions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.models import User


def _second_browser(page: Any) -> Any:
    """Another page in a new context holding a copy of ``page``'s cookies."""
    context = page.context.browser.new_context(locale="id-ID")
    context.add_cookies(page.context.cookies())
    other = context.new_page()
    other.set_default_timeout(10_000)
    return other


def test_a_copied_cookie_stops_working_after_sign_out(page: Any, login: Any) -> None:
    login(page, "pk.madiun")
    copy = _second_browser(page)
    copy.goto(page.base_url + "/klien/")
    assert copy.url.endswith("/klien/")
    page.locator("form[action$='/keluar'] button").click()
    page.wait_for_url("**/masuk")
    copy.goto(page.base_url + "/klien/")
    assert "/masuk" in copy.url
    copy.context.close()


def test_admin_ends_all_sessions_of_a_user(
    page: Any, login: Any, app_ctx: Any, screenshot: Any, browser: Any
) -> None:
    login(page, "pk.madiun")
    admin = browser.new_page(viewport={"width": 1366, "height": 900})
    admin.base_url = page.base_url
    login(admin, "admin")
    pk_id = app_ctx.session.scalar(select(User.id).where(User.username == "pk.madiun"))
    app_ctx.session.commit()  # end the read: SQLite lets the server write only then
    admin.goto(f"{page.base_url}/admin/pengguna/{pk_id}")
    assert "1 sesi terbuka" in admin.locator("main").inner_text()
    screenshot(admin, "admin-user-sessions")
    admin.click("text=Akhiri semua sesi")
    assert "1 sesi akun pk.madiun diakhiri." in admin.locator("main").inner_text()
    page.goto(page.base_url + "/klien/")
    assert "/masuk" in page.url
    admin.close()
