import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from people.models import Network


@extend_schema_field(OpenApiTypes.INT)
class NetworkSubtreeFilter(django_filters.ModelChoiceFilter):
    """`?network=ID`: rows of that network and of every network below it (one prefix query)."""

    def __init__(self, *, path_field: str, **kwargs):
        self.path_field = path_field
        kwargs.setdefault("label", "network (and the networks below it)")
        super().__init__(queryset=Network.objects.all(), **kwargs)

    def filter(self, queryset, network):
        if network is None:
            return queryset
        return queryset.filter(**{f"{self.path_field}__startswith": network.path})
