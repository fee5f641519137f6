"""Django admin for platform operators (superusers, second factor enforced by middleware).

Only organisations, service areas and staff accounts are registered: case content is never
reachable from the admin.
"""

from django.contrib import admin

from harbour.accounts.models import Organisation, ServiceArea, User


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area_name", "is_active")
    list_filter = ("kind", "is_active")
    inlines = [ServiceAreaInline]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("username", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "organisation")
    fields = ("username", "organisation", "role", "is_active", "is_superuser", "last_login")
    readonly_fields = ("last_login",)
    search_fields = ("username",)
