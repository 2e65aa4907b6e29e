"""The list filter backend: django-filter's, minus the work of building a
filter set (and its form) for a request that names none of its filters."""

from django_filters.rest_framework import DjangoFilterBackend


class ListFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        # A filter's parameters start with its name (``created`` →
        # ``created_after``); with none of them present every filter would be
        # skipped, so the queryset comes back unchanged either way.
        names = tuple(filterset_class.base_filters)
        if not any(param.startswith(names) for param in request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)
