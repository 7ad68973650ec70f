"""Who may change a row: its owner or an admin (`manage.py make_admin EMAIL`)."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class IsOwnerOrAdmin(BasePermission):
    """Reads are for everyone; a change or a delete needs the row's owner or an admin.

    A row without an owner (its user was deleted, or it predates owners) is for admins only.
    """

    message = "Only its owner or an admin may change this"

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not user.is_authenticated:
            return False
        return bool(user.is_admin) or (obj.owner_id is not None and obj.owner_id == user.pk)
