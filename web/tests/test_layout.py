"""The product shell and the workbench: module navigation from the registry,
module cards for enabled modules only, admin quick links for admins only."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse, set_urlconf

from tenants.models import TenantModule
from web.templatetags.weft import money, url_or_none


def cards(html: str) -> list[str]:
    return re.findall(r'data-module-card="([^"]+)"', html)


@pytest.mark.django_db
def test_workbench_shows_enabled_modules_and_admin_links(tenant_a, admin_a, web_for):
    enabled = sorted(TenantModule.objects.filter(tenant=tenant_a, enabled=True).values_list("key", flat=True))
    assert enabled  # the trial plan switches every module on

    response = web_for(tenant_a, admin_a).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Welcome, {admin_a.full_name}" in html
    assert sorted(cards(html)) == enabled
    assert 'id="app-sidebar"' in html and 'data-bs-toggle="offcanvas"' in html
    modules_url = reverse("settings-modules", urlconf="core.urls_tenant")
    assert f'<a class="quick-link" href="{modules_url}">Modules</a>' in html
    crm_list = reverse("crm:customer-list", urlconf="core.urls_tenant")
    assert f'data-module="crm" href="{crm_list}"' in html  # sidebar navigation
    assert f'<li><a href="{crm_list}">' in html  # link on the CRM card


@pytest.mark.django_db
def test_a_switched_off_module_leaves_the_workbench_and_the_menu(tenant_a, admin_a, web_for):
    row = TenantModule.objects.get(tenant=tenant_a, key="crm")
    row.enabled = False
    row.save()

    html = web_for(tenant_a, admin_a).get("/").content.decode()

    assert "crm" not in cards(html)
    assert 'data-module="crm"' not in html
    assert "distribution" in cards(html)


@pytest.mark.django_db
def test_members_without_admin_rights_get_no_admin_links(tenant_a, make_user, web_for):
    member = make_user(tenant_a, email="member@alpha.test", full_name="Mo Member")

    html = web_for(tenant_a, member).get("/").content.decode()

    assert "Welcome, Mo Member" in html
    assert 'class="quick-link"' not in html
    assert "Administration" not in html
    assert 'data-module="crm"' not in html  # no role grants crm.customer.view
    crm_card = re.search(r'data-module-card="crm">(.*?)</article>', html, re.S).group(1)
    assert "No pages of this module are open to you yet." in crm_card


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(tenant_a, web_for):
    response = web_for(tenant_a).get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_guest_pages_render_without_the_sidebar(tenant_a, web_for):
    html = web_for(tenant_a).get("/accounts/login/").content.decode()
    assert 'id="app-sidebar"' not in html
    assert "Alpha Ltd" in html


def test_url_or_none_returns_the_first_name_that_exists():
    set_urlconf("core.urls_tenant")
    try:
        assert url_or_none("no-such-page") is None
        assert url_or_none("no-such-page", "home") == "/"
        rendered = Template(
            '{% load weft %}{% url_or_none "no-such-page" as missing %}{% url_or_none "nope" "home" as home %}'
            '[{{ missing|default:"none" }}][{{ home }}]'
        ).render(Context({}))
        assert rendered == "[none][/]"
    finally:
        set_urlconf(None)


def test_control_filter_adds_bootstrap_classes_and_error_state():
    from django import forms

    class Demo(forms.Form):
        name = forms.CharField(help_text="Help")
        kind = forms.ChoiceField(choices=[("a", "A")])

    form = Demo(data={"name": "", "kind": "a"})
    form.is_valid()
    html = Template("{% load weft %}{{ form.name|control }}|{{ form.kind|control }}").render(Context({"form": form}))
    name_html, kind_html = html.split("|")
    assert 'class="form-control is-invalid"' in name_html
    assert 'aria-invalid="true"' in name_html
    assert 'aria-describedby="id_name_help id_name_errors"' in name_html
    assert 'class="form-select"' in kind_html and "is-invalid" not in kind_html


def test_money_formats_amounts_with_their_currency():
    assert money("12.00", "USD") == "$12"
    assert money("12.50", "USD") == "$12.50"
    assert money("1200", "CNY") == "¥1,200"
    assert money("5", "SEK") == "SEK 5"
    assert money(None, "USD") == ""


def test_static_assets_exist():
    from django.contrib.staticfiles import finders

    script = finders.find("js/weft.js")
    assert script and "data-autosubmit" in open(script).read()
    css = finders.find("css/weft.css")
    assert css and ".htmx-indicator" in open(css).read()


@pytest.mark.django_db
def test_unknown_workspace_page_links_to_the_public_sign_in():
    from django.test import Client

    response = Client(HTTP_HOST="nobody-here.localhost").get("/")
    assert response.status_code == 404
    assert 'href="http://localhost:8000/login/"' in response.content.decode()


@pytest.mark.django_db
def test_public_404_page_uses_the_public_layout():
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'class="public-topbar"' in html and 'id="app-sidebar"' not in html


@pytest.mark.django_db
def test_sidebar_marks_only_the_most_specific_entry_active(tenant_a, admin_a, web_for):
    roles_url = reverse("org:role-list", urlconf="core.urls_tenant")
    html = web_for(tenant_a, admin_a).get(roles_url).content.decode()
    sidebar = re.search(r'<nav class="offcanvas-lg.*?</nav>', html, re.S).group(0)
    active = re.findall(r'class="nav-link active"[^>]*href="([^"]+)"', sidebar)
    assert active == [roles_url]


def test_active_url_prefers_the_longest_match():
    from web.templatetags.weft import active_url

    modules = [{"key": "crm", "items": [{"url": "/crm/customers/"}]}]
    pages = [{"url": "/settings/"}, {"url": "/settings/roles/"}]
    assert active_url("/settings/roles/5/edit/", modules, pages) == "/settings/roles/"
    assert active_url("/settings/", modules, pages) == "/settings/"
    assert active_url("/crm/customers/new/", modules, pages) == "/crm/customers/"
    assert active_url("/elsewhere/", modules, pages) is None
