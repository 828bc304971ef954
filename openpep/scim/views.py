"""The SCIM 2.0 endpoints of a council's directory (RFC 7643/7644), under ``/scim/v2/``: thin views
over ``scim2-models`` (parsing and checking resources, filters and PATCH operations, the error
messages) and this app's services. A bearer token, no session and no CSRF token: the views are
CSRF-exempt and read no cookie. Every id is resolved through the token's council
(``queries.people_for`` / ``groups_for``): anything else is a 404, as if it did not exist. Bad input
is a SCIM error (``status``, ``scimType``, ``detail``), never a 500."""

import json
import re
from functools import wraps

import pydantic
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from scim2_models import (
    Context,
    Email,
    Error,
    Group,
    GroupMember,
    ListResponse,
    Meta,
    PatchOp,
    SCIMException,
    ScimFilter,
    User,
)
from scim2_models.path.expressions import CompareOperator, Comparison

from openpep.people.models import User as Person

from . import services
from .queries import groups_for, people_for

CONTENT_TYPE = "application/scim+json"
#: The largest body read, and the deepest nesting of its arrays and objects: a directory sends a
#: person or a page of group members, a few levels deep.
MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 8
MAX_FILTER_CHARS = 500
MAX_COUNT = 100
#: The one filter each resource type answers: ``<attribute> eq "<value>"``.
FILTERS = {"users": "userName", "groups": "displayName"}
LIMITS = {"email": 254, "full_name": 150, "job_title": 150}
#: What OpenPEP keeps of a user. A directory sends more (Entra ID by default: phone numbers,
#: addresses, the enterprise extension's department and manager): that is left out before the
#: resource is read, as RFC 7644 §3.3 lets a service provider do, so it can neither be refused nor kept.
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
KEPT = {"username", "displayname", "name", "title", "active", "emails", "externalid"}


class Refused(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def _json(data, status=200, location=None) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, scim_type=scim_type, detail=detail[:500])
    response = _json(error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="OpenPEP SCIM"'
    return response


def _validation_detail(error: pydantic.ValidationError) -> str:
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'not valid')}" if where else first.get("msg", "not valid")


def endpoint(view):
    """Authenticates the token, then turns every refusal into a SCIM error."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        header = request.headers.get("Authorization", "").split()
        if len(header) != 2 or header[0].lower() != "bearer":  # the scheme is case-insensitive (RFC 7235)
            return _error(401, "Send the council's token as: Authorization: Bearer <token>")
        token = services.authenticate(header[1])
        if token is None:
            return _error(401, "This token is not valid, or has been revoked")
        try:
            return view(request, token, *args, **kwargs)
        except Refused as refused:
            return _error(refused.status, refused.detail, refused.scim_type)
        except SCIMException as error:
            return _error(error.status, error.detail, error.scim_type or None)
        except pydantic.ValidationError as error:
            return _error(400, _validation_detail(error), "invalidValue")
        except IntegrityError:  # the same address or group, made at the same moment by another request
            return _error(409, "This resource exists already", "uniqueness")
        except ValidationError as error:
            code = getattr(error, "code", None)
            scim_type = {"unique": "uniqueness", "mutability": "mutability"}.get(code, "invalidValue")
            return _error(409 if code == "unique" else 400, " ".join(error.messages), scim_type)

    return wrapper


# Reading requests

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON value")


def _body(request) -> dict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise Refused(413, f"The body is larger than {MAX_BODY_BYTES:,} bytes: send less at a time")
    raw = request.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise Refused(413, f"The body is larger than {MAX_BODY_BYTES:,} bytes: send less at a time")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "The body is not UTF-8", "invalidSyntax") from None
    if "\x00" in text or "\\u0000" in text:
        # No text OpenPEP keeps may hold a NUL (PostgreSQL refuses it in a string).
        raise Refused(400, "The body holds a NUL character", "invalidValue")
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise Refused(400, f"JSON nested more than {MAX_DEPTH} deep: nothing was read", "invalidSyntax")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except ValueError as error:
        raise Refused(400, f"The body is not JSON: {error}", "invalidSyntax") from None
    if not isinstance(data, dict):
        raise Refused(400, "The body must be a JSON object", "invalidSyntax")
    return data


def _int(value, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise Refused(400, f"{name} must be a whole number", "invalidValue") from None
    if not 0 <= number <= 10**9:
        raise Refused(400, f"{name} is out of range", "invalidValue")
    return number


def _filter_value(request, kind: str) -> str | None:
    """The value of the one filter supported, or None without a filter."""
    text = request.GET.get("filter")
    if text is None:
        return None
    supported = f'Only {FILTERS[kind]} eq "…" is supported'
    if len(text) > MAX_FILTER_CHARS:
        raise Refused(400, f"The filter is longer than {MAX_FILTER_CHARS} characters", "invalidFilter")
    if "\x00" in text:
        raise Refused(400, "The filter holds a NUL character", "invalidFilter")
    model = User if kind == "users" else Group
    node = ScimFilter[model](text).ast  # InvalidFilterException (400 invalidFilter) when it is not a filter
    if not (
        isinstance(node, Comparison)
        and node.op == CompareOperator.eq
        and node.attr_path.uri is None
        and node.attr_path.sub_attr is None
        and node.attr_path.attr.casefold() == FILTERS[kind].casefold()
        and isinstance(node.value, str)
    ):
        raise Refused(400, supported, "invalidFilter")
    return node.value


def _page(request, queryset, render):
    start = max(_int(request.GET.get("startIndex"), "startIndex", 1), 1)
    count = min(_int(request.GET.get("count"), "count", MAX_COUNT), MAX_COUNT)
    total = queryset.count()
    rows = list(queryset.order_by("pk")[start - 1 : start - 1 + count]) if count else []
    page = ListResponse[User | Group](
        total_results=total, start_index=start, items_per_page=len(rows), resources=[render(row) for row in rows]
    )
    return _json(page.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _one(queryset, pk: str):
    if not pk.isdigit() or len(pk) > 18:
        raise Refused(404, f"No resource {pk[:40]}")
    found = queryset.filter(pk=int(pk)).first()
    if found is None:
        raise Refused(404, f"No resource {pk}")
    return found


# Users


def _user_location(request, user) -> str:
    return request.build_absolute_uri(reverse("scim:user", args=[user.pk]))


def _user(request, user: Person, *, groups=True) -> User:
    resource = User(
        id=str(user.pk),
        user_name=user.email,
        display_name=user.full_name,
        name={"formatted": user.full_name},
        title=user.job_title or None,
        active=user.is_active,
        emails=[Email(value=user.email, type="work", primary=True)],
    )
    if groups:
        resource.groups = [
            {"value": str(group.pk), "display": group.display_name} for group in user.scim_groups.order_by("pk")
        ] or None
        resource.meta = Meta(
            resource_type="User",
            created=user.date_joined,
            last_modified=user.date_joined,
            location=_user_location(request, user),
        )
    return resource


def _user_dump(request, user: Person) -> dict:
    return _user(request, user).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def _kept_attribute(name) -> bool:
    if not isinstance(name, str):
        return True  # left to the model to refuse
    if name.lower().startswith(USER_SCHEMA.lower() + ":"):
        name = name[len(USER_SCHEMA) + 1 :]
    elif name.lower().startswith("urn:"):
        return False
    return re.split(r"[.\[]", name, maxsplit=1)[0].casefold() in KEPT


def _user_body(body: dict) -> dict:
    """A POST or PUT body with only what OpenPEP keeps."""
    kept = {key: value for key, value in body.items() if key == "schemas" or _kept_attribute(key)}
    kept["schemas"] = [USER_SCHEMA]
    return kept


def _user_patch(body: dict) -> dict | None:
    """A PATCH body with only the operations on what OpenPEP keeps (None if that is none of them)."""
    operations = body.get("Operations")
    if not isinstance(operations, list):
        return body  # left to the model to refuse
    kept = []
    for operation in operations:
        if isinstance(operation, dict) and "path" in operation:
            if not _kept_attribute(operation["path"]):
                continue
        elif isinstance(operation, dict) and isinstance(operation.get("value"), dict):
            value = {key: item for key, item in operation["value"].items() if _kept_attribute(key)}
            if not value:
                continue
            operation = {**operation, "value": value}
        kept.append(operation)
    return {**body, "Operations": kept} if kept else None


def _person(resource: User, previous: Person | None = None) -> services.Person:
    """What the resource says of the person, checked: the sign-in address is ``userName`` (or, when
    only the work e-mail changed, that address)."""
    email = (resource.user_name or "").strip().lower()
    if previous is not None and email == previous.email:
        work = next((e.value for e in resource.emails or [] if e.primary or str(e.type or "") == "work"), None)
        if work and work.strip().lower() != previous.email:
            email = work.strip().lower()
    name = resource.display_name or (resource.name.formatted if resource.name else None)
    if not name and resource.name:
        name = " ".join(part for part in (resource.name.given_name, resource.name.family_name) if part)
    values = {"email": email, "full_name": (name or "").strip(), "job_title": (resource.title or "").strip()}
    if not values["full_name"]:
        raise Refused(400, "Give the person's displayName or name", "invalidValue")
    try:
        validate_email(values["email"])
    except ValidationError:
        raise Refused(400, "userName must be the person's work e-mail address", "invalidValue") from None
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            raise Refused(400, f"{field} is longer than {limit} characters", "invalidValue")
    return services.Person(active=resource.active is not False, **values)


@endpoint
def users(request, token):
    people = people_for(token.local_authority)
    if request.method == "GET":
        value = _filter_value(request, "users")
        if value is not None:
            people = people.filter(email__iexact=value)
        return _page(request, people.prefetch_related("scim_groups"), lambda user: _user(request, user))
    if request.method == "POST":
        resource = User.model_validate(_user_body(_body(request)), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        user = services.create_user(token, _person(resource), base_url=request.build_absolute_uri("/").rstrip("/"))
        return _json(_user_dump(request, user), status=201, location=_user_location(request, user))
    return _error(405, "Use GET or POST")


@endpoint
def user(request, token, pk):
    if request.method not in ("GET", "PUT", "PATCH", "DELETE"):
        return _error(405, "Use GET, PUT, PATCH or DELETE")
    found = _one(people_for(token.local_authority), pk)
    if request.method == "GET":
        return _json(_user_dump(request, found), location=_user_location(request, found))
    if request.method == "PUT":
        resource = User.model_validate(_user_body(_body(request)), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        found = services.replace_user(token, found, _person(resource))
    elif request.method == "PATCH":
        body = _user_patch(_body(request))
        if body is not None:
            patch = PatchOp[User].model_validate(body, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
            resource = _user(request, found, groups=False)
            patch.patch(resource)
            found = services.replace_user(token, found, _person(resource, previous=found))
    elif request.method == "DELETE":
        services.deactivate_user(token, found)
        return HttpResponse(status=204)
    else:
        return _error(405, "Use GET, PUT, PATCH or DELETE")
    return _json(_user_dump(request, found), location=_user_location(request, found))


# Groups


def _group_location(request, group) -> str:
    return request.build_absolute_uri(reverse("scim:group", args=[group.pk]))


def _group(request, group, *, members=True, meta=True) -> Group:
    resource = Group(id=str(group.pk), display_name=group.display_name)
    if members:
        resource.members = [
            GroupMember(value=str(user.pk), display=user.full_name) for user in group.members.order_by("pk")
        ] or None
    if meta:
        resource.meta = Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.created_at,
            location=_group_location(request, group),
        )
    return resource


def _group_dump(request, group) -> dict:
    members = "members" not in request.GET.get("excludedAttributes", "")
    return _group(request, group, members=members).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def _members(token, resource: Group) -> list:
    """The people a group's members name, each one of the council's: any other id (another
    council's, a school's, none) is refused as not known, whichever it is."""
    ids = [member.value for member in resource.members or []]
    if len(ids) > 1000:
        raise Refused(400, "At most 1,000 members at a time", "tooMany")
    if not all(isinstance(pk, str) and pk.isdigit() and len(pk) <= 18 for pk in ids):
        raise Refused(400, "A member's value is the id of a user", "invalidValue")
    wanted = {int(pk) for pk in ids}
    found = list(people_for(token.local_authority).filter(pk__in=wanted))
    unknown = wanted - {user.pk for user in found}
    if unknown:
        raise Refused(400, f"No user {min(unknown)}", "invalidValue")
    return found


@endpoint
def groups(request, token):
    queryset = groups_for(token.local_authority)
    if request.method == "GET":
        value = _filter_value(request, "groups")
        if value is not None:
            queryset = queryset.filter(display_name__iexact=value)
        members = "members" not in request.GET.get("excludedAttributes", "")
        return _page(request, queryset, lambda group: _group(request, group, members=members))
    if request.method == "POST":
        resource = Group.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        if not resource.display_name:
            raise Refused(400, "Give the group's displayName", "invalidValue")
        group = services.create_group(token, resource.display_name, _members(token, resource))
        return _json(_group_dump(request, group), status=201, location=_group_location(request, group))
    return _error(405, "Use GET or POST")


@endpoint
def group(request, token, pk):
    if request.method not in ("GET", "PUT", "PATCH", "DELETE"):
        return _error(405, "Use GET, PUT, PATCH or DELETE")
    found = _one(groups_for(token.local_authority), pk)
    if request.method == "GET":
        return _json(_group_dump(request, found), location=_group_location(request, found))
    if request.method == "DELETE":
        services.delete_group(token, found)
        return HttpResponse(status=204)
    if request.method == "PUT":
        resource = Group.model_validate(_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    elif request.method == "PATCH":
        patch = PatchOp[Group].model_validate(_body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        resource = _group(request, found, meta=False)
        patch.patch(resource)
    else:
        return _error(405, "Use GET, PUT, PATCH or DELETE")
    if resource.display_name and resource.display_name != found.display_name:
        services.rename_group(token, found, resource.display_name)
    services.set_members(token, found, _members(token, resource))
    if request.method == "PATCH" and "members" not in request.GET.get("attributes", "members"):
        return HttpResponse(status=204)
    return _json(_group_dump(request, found), location=_group_location(request, found))


# Discovery


@endpoint
def service_provider_config(request, token):
    return _json(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_COUNT},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {"type": "oauthbearertoken", "name": "Bearer token", "description": "The council's directory token"}
            ],
        }
    )
