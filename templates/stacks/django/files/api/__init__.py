"""The service's resource: model, serializer, viewset and routes."""
