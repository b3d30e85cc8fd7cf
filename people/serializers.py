from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import CharField, EmailField, ModelSerializer, PrimaryKeyRelatedField
from people.enums import NetworkKind, Role
from people.models import Library, Network, User
from people.permissions import managed_network_ids, staffed_library_ids, user_roles
from people.services import full_name_clean, username_clean


class LibraryBriefSerializer(ModelSerializer):
    class Meta:
        model = Library
        fields = ["id", "name", "short_name"]


class UserSerializer(ModelSerializer):
    library = LibraryBriefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()
    email_verified = serializers.SerializerMethodField()
    organizes_networks = serializers.SerializerMethodField()
    staff_of_libraries = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "email_verified",
            "full_name",
            "library",
            "language",
            "roles",
            "organizes_networks",
            "staff_of_libraries",
        ]

    def get_email_verified(self, user) -> bool:
        return user.email_verified_at is not None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user) -> list[str]:
        return user_roles(user)

    def get_organizes_networks(self, user) -> list[int]:
        return sorted(managed_network_ids(user))

    def get_staff_of_libraries(self, user) -> list[int]:
        return sorted(staffed_library_ids(user))


class RegisterSerializer(serializers.Serializer):
    username = CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Latin letters (Vietnamese ones too), the digits 0–9 and @/./+/-/_ only."),
    )
    password = CharField(max_length=128, write_only=True, style={"input_type": "password"}, trim_whitespace=False)
    email = EmailField(max_length=254)
    full_name = CharField(max_length=150)
    library = PrimaryKeyRelatedField(
        queryset=Library.objects.all(),
        error_messages={
            "does_not_exist": _("This library is not on the platform; pick one from the list."),
            "incorrect_type": _("Pick a library from the list."),
        },
    )

    def validate_username(self, value):
        try:
            return username_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate_full_name(self, value):
        try:
            return full_name_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate_password(self, value):
        # Judged against the other fields as sent (too close to the username ...), so that a
        # weak password is reported in the same answer as every other field's errors.
        sent = {key: str(self.initial_data.get(key, "")) for key in ("username", "email", "full_name")}
        try:
            password_validation.validate_password(value, user=User(**sent))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value


class TokenSerializer(serializers.Serializer):
    token = CharField(read_only=True, help_text=_("Send it as `Authorization: Token <token>`."))
    expires = serializers.DateTimeField(read_only=True, help_text=_("When the token stops working."))


class NetworkSerializer(ModelSerializer):
    parent = PrimaryKeyRelatedField(queryset=Network.objects.all(), allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=NetworkKind.choices, default=NetworkKind.OTHER)
    depth = serializers.IntegerField(read_only=True, help_text=_("0 for a top-level network."))
    library_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Network
        fields = ["id", "name", "short_name", "kind", "parent", "depth", "library_count"]
        # Not DRF's UniqueTogetherValidator for (parent, name): it would make `parent` required.
        # network_create refuses a name taken below the same parent, top level included.
        validators = []


class NetworkUpdateSerializer(ModelSerializer):
    class Meta:
        model = Network
        fields = ["name", "short_name", "kind"]


class LibrarySerializer(ModelSerializer):
    network = PrimaryKeyRelatedField(queryset=Network.objects.all())
    network_name = CharField(source="network.name", read_only=True)

    class Meta:
        model = Library
        fields = ["id", "name", "short_name", "network", "network_name", "student_count"]


class EmailConfirmSerializer(serializers.Serializer):
    token = CharField(max_length=500)
