from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from people import services
from people.models import Library, LibraryStaff, Network, NetworkOrganizer, User


class NetworkOrganizerInline(admin.TabularInline):
    model = NetworkOrganizer
    autocomplete_fields = ["user"]
    extra = 0


class LibraryStaffInline(admin.TabularInline):
    model = LibraryStaff
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    inlines = [NetworkOrganizerInline]

    def save_model(self, request, obj, form, change):
        # Paths are derived state: creation and moves go through the services that keep them.
        if not change:
            created = services.network_create(
                actor=request.user, name=obj.name, short_name=obj.short_name, kind=obj.kind, parent=obj.parent
            )
            obj.pk, obj.path = created.pk, created.path
            return
        if "parent" in form.changed_data:
            services.network_move(actor=request.user, network=obj, parent=obj.parent)
        changes = {f: form.cleaned_data[f] for f in ("name", "short_name", "kind") if f in form.changed_data}
        if changes:
            services.network_update(actor=request.user, network=obj, **changes)


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "network", "student_count"]
    list_filter = ["network"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["network"]
    inlines = [LibraryStaffInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "library", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "is_active", "library__network"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["library"]
    readonly_fields = ["welcomed_at", "email_verified_at", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Personal info"),
            {"fields": ["full_name", "email", "email_verified_at", "library", "language", "welcomed_at"]},
        ),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def save_model(self, request, obj, form, change):
        if change and "email" in form.changed_data:
            obj.email_verified_at = None  # a new address is confirmed again, by its owner
        super().save_model(request, obj, form, change)

    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["username", "full_name", "email", "library", "password1", "password2"]},
        ),
    ]
