"""The base of every model serializer: DRF's ``ModelSerializer`` with its
fields worked out once per class (decision 0019).

Introspecting the model (``get_fields``) costs ~0.8 ms per serializer and
depends only on the class; each instance gets a deep copy of the class's
fields, which DRF makes by constructing every field afresh from the arguments
it was built with, as it does for declared fields. The class has no docstring
of its own: the schema would take it as every serializer's description."""

import copy

from rest_framework import serializers


class ModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)
