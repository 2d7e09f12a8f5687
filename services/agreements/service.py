"""The agreements nameko service: thin HTTP adapters, its OpenAPI, and the relay."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from nameko.dependency_providers import Config
from nameko.events import EventDispatcher
from nameko.timer import timer
from nameko.web.handlers import http

from services.agreements import views
from services.agreements.agreement_file import AgreementFileError, parse_agreement
from services.agreements.application import AlreadyRegisteredError, NotFoundError
from services.agreements.dependencies import AgreementsBackend, build
from services.agreements.domain.documents import Approver, DocumentKind
from services.agreements.domain.errors import (
    AgreementsError,
    ApprovedVersionIsImmutableError,
    NotSubmittedError,
    OpenDraftExistsError,
    UnknownVersionError,
    WrongRoleError,
)
from services.agreements.importing import UnknownActivityTypeError, import_agreement
from services.agreements.summary import plan_summary
from shared import access, health
from shared.access import ALL_PLANS, READ_ROLES, Role
from shared.bus.providers import Backend, publisher
from shared.bus.remote import serve_page
from shared.contracts import agreements_api as api_models
from shared.http import BadRequestError, json_response, problem, read_json
from shared.openapi import Api, Query

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

RELAY_INTERVAL = 0.05
EDIT = frozenset({Role.EDITOR})
APPROVE = frozenset({Role.BOARD_APPROVER, Role.LBF_APPROVER})

api = Api(
    "Helhedsplan agreements",
    "1",
    errors={
        NotFoundError: 404,
        UnknownVersionError: 404,
        AlreadyRegisteredError: 409,
        NotSubmittedError: 409,
        ApprovedVersionIsImmutableError: 409,
        OpenDraftExistsError: 409,
        WrongRoleError: 403,
        UnknownActivityTypeError: 422,
        AgreementsError: 422,
    },
)
DOCUMENT = "/plans/<string:plan_id>/documents/<string:kind>/<string:key>"


def _kind(kind: str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        raise NotFoundError(
            f"no document kind {kind!r} (strategic or delaftale)"
        ) from None


class AgreementsService:
    name = "agreements"

    backend: AgreementsBackend = Backend(build)
    config = Config()
    dispatch = EventDispatcher()

    @timer(interval=RELAY_INTERVAL)
    def relay(self) -> None:
        self.backend.relay.pump(publisher(self.dispatch))

    def _allow(
        self, request: Request, plan_id: str, roles: frozenset[Role]
    ) -> access.Principal:
        principal = self.backend.principal(request)
        access.require(principal, plan_id, roles)
        return principal

    # registry

    @api.route(
        "POST",
        "/fora",
        summary="Register a Samarbejdsforum",
        request=api_models.RegisterForum,
        response=api_models.Created,
        status=201,
        errors=(409,),
    )
    def register_forum(self, request: Request) -> Response:
        self._allow(request, ALL_PLANS, EDIT)
        command = api_models.RegisterForum.model_validate(read_json(request))
        return json_response(
            201,
            api_models.Created(
                id=self.backend.app.register_forum(**command.model_dump())
            ),
        )

    @api.route(
        "POST",
        "/fora/<string:forum_id>/leave",
        summary="A plan leaves a Samarbejdsforum",
        request=api_models.LeaveForum,
        status=204,
        errors=(404,),
    )
    def leave_forum(self, request: Request, forum_id: str) -> Response:
        command = api_models.LeaveForum.model_validate(read_json(request))
        self._allow(request, command.plan_id, EDIT)
        self.backend.app.leave_forum(forum_id, command.plan_id, command.left_on)
        return json_response(204, "")

    @api.route(
        "POST",
        "/boards",
        summary="Register a bestyrelse",
        request=api_models.RegisterBoard,
        response=api_models.Created,
        status=201,
        errors=(409,),
    )
    def register_board(self, request: Request) -> Response:
        self._allow(request, ALL_PLANS, EDIT)
        command = api_models.RegisterBoard.model_validate(read_json(request))
        return json_response(
            201,
            api_models.Created(
                id=self.backend.app.register_board(**command.model_dump())
            ),
        )

    @api.route(
        "POST",
        "/plans",
        summary="Register a helhedsplan",
        request=api_models.RegisterPlan,
        response=api_models.Created,
        status=201,
        errors=(404, 409),
    )
    def register_plan(self, request: Request) -> Response:
        self._allow(request, ALL_PLANS, EDIT)
        command = api_models.RegisterPlan.model_validate(read_json(request))
        return json_response(
            201,
            api_models.Created(
                id=self.backend.app.register_plan(**command.model_dump())
            ),
        )

    @api.route(
        "GET",
        "/plans/<string:plan_id>",
        summary="A plan with its activities, follow-ups and documents",
        response=api_models.PlanOut,
        errors=(404,),
    )
    def get_plan(self, request: Request, plan_id: str) -> Response:
        self._allow(request, plan_id, READ_ROLES)
        app = self.backend.app
        return json_response(
            200, views.plan_out(app.plan(plan_id), list(app.documents(plan_id)))
        )

    @api.route(
        "POST",
        "/plans/<string:plan_id>/activities",
        summary="Add an activity",
        request=api_models.PlanActivity,
        response=api_models.Created,
        status=201,
        errors=(404,),
    )
    def plan_activity(self, request: Request, plan_id: str) -> Response:
        self._allow(request, plan_id, EDIT)
        command = api_models.PlanActivity.model_validate(read_json(request))
        self.backend.app.plan_activity(plan_id, **command.model_dump())
        return json_response(201, api_models.Created(id=command.activity_id))

    @api.route(
        "POST",
        "/plans/<string:plan_id>/activities/<string:activity_id>/status",
        summary="Change an activity's status from a date",
        request=api_models.ChangeActivityStatus,
        status=204,
        errors=(404,),
    )
    def change_activity_status(
        self, request: Request, plan_id: str, activity_id: str
    ) -> Response:
        self._allow(request, plan_id, EDIT)
        command = api_models.ChangeActivityStatus.model_validate(read_json(request))
        self.backend.app.change_activity_status(
            plan_id, activity_id, **command.model_dump()
        )
        return json_response(204, "")

    @api.route(
        "POST",
        "/plans/<string:plan_id>/follow-ups",
        summary="Record the board's follow-up on goals",
        request=api_models.RecordFollowUp,
        status=204,
        errors=(404,),
    )
    def record_follow_up(self, request: Request, plan_id: str) -> Response:
        self._allow(request, plan_id, EDIT | {Role.BOARD_APPROVER})
        command = api_models.RecordFollowUp.model_validate(read_json(request))
        self.backend.app.record_follow_up(plan_id, **command.model_dump())
        return json_response(204, "")

    @api.route(
        "POST",
        "/agreements",
        summary="Import an agreement file (JSON)",
        response=api_models.Created,
        status=201,
        errors=(409, 422),
    )
    def import_agreement(self, request: Request) -> Response:
        self._allow(request, ALL_PLANS, EDIT)
        try:
            agreement = parse_agreement(read_json(request), "the request body")
        except AgreementFileError as error:
            return problem(422, "not a valid agreement file", file_problems(error))
        return json_response(
            201, api_models.Created(id=import_agreement(self.backend.app, agreement))
        )

    @api.route(
        "GET",
        "/plans/<string:plan_id>/summary",
        summary="What was agreed: counts, overall table, delaftaler",
        errors=(404,),
    )
    def summary(self, request: Request, plan_id: str) -> Response:
        self._allow(request, plan_id, READ_ROLES)
        return json_response(200, plan_summary(self.backend.app, plan_id))

    # documents and revisions

    @api.route(
        "GET",
        DOCUMENT,
        summary="A document with every version",
        response=api_models.DocumentOut,
        errors=(404,),
    )
    def get_document(
        self, request: Request, plan_id: str, kind: str, key: str
    ) -> Response:
        self._allow(request, plan_id, READ_ROLES)
        return json_response(
            200,
            views.document_out(self.backend.app.document(plan_id, _kind(kind), key)),
        )

    @api.route(
        "POST",
        f"{DOCUMENT}/revisions",
        summary="Draft a revision",
        request=api_models.DraftRevision,
        response=api_models.Created,
        status=201,
        errors=(404, 409),
    )
    def draft_revision(
        self, request: Request, plan_id: str, kind: str, key: str
    ) -> Response:
        self._allow(request, plan_id, EDIT)
        command = api_models.DraftRevision.model_validate(read_json(request))
        version = self.backend.app.draft_revision(
            plan_id, _kind(kind), key, **command.model_dump()
        )
        return json_response(201, api_models.Created(id=key, version=version))

    @api.route(
        "PUT",
        f"{DOCUMENT}/revisions/<int:version>",
        summary="Edit a draft",
        request=api_models.EditDraft,
        status=204,
        errors=(404, 409),
    )
    def edit_draft(
        self, request: Request, plan_id: str, kind: str, key: str, version: int
    ) -> Response:
        self._allow(request, plan_id, EDIT)
        command = api_models.EditDraft.model_validate(read_json(request))
        self.backend.app.edit_draft(plan_id, _kind(kind), key, version, command.content)
        return json_response(204, "")

    @api.route(
        "POST",
        f"{DOCUMENT}/revisions/<int:version>/submit",
        summary="Submit a draft for approval",
        status=204,
        errors=(404, 409),
    )
    def submit_revision(
        self, request: Request, plan_id: str, kind: str, key: str, version: int
    ) -> Response:
        principal = self._allow(request, plan_id, EDIT)
        self.backend.app.submit_revision(
            plan_id, _kind(kind), key, version, principal.token_id
        )
        return json_response(204, "")

    @api.route(
        "POST",
        f"{DOCUMENT}/revisions/<int:version>/approve",
        summary="Approve a submitted version",
        request=api_models.Approve,
        response=api_models.Created,
        errors=(404, 409),
    )
    def approve_revision(
        self, request: Request, plan_id: str, kind: str, key: str, version: int
    ) -> Response:
        principal = self._allow(request, plan_id, APPROVE)
        command = api_models.Approve.model_validate(
            read_json(request) if request.get_data() else {}
        )
        role = _approver(principal, plan_id, command.role)
        complete = self.backend.app.approve_revision(
            plan_id, _kind(kind), key, version, role, principal.token_id
        )
        return json_response(200, {"id": key, "version": version, "in_force": complete})

    @api.route(
        "GET",
        "/plans/<string:plan_id>/changes",
        summary="What changed since the last approval",
        response=api_models.ChangesOut,
        errors=(404,),
    )
    def changes(self, request: Request, plan_id: str) -> Response:
        self._allow(request, plan_id, READ_ROLES)
        return json_response(
            200,
            views.changes_out(
                plan_id, self.backend.app.changes_since_approval(plan_id)
            ),
        )

    # indicator definitions

    @api.route(
        "GET",
        "/plans/<string:plan_id>/indicators/<string:indicator_id>/definition",
        summary="The definition in force on a day",
        response=api_models.DefinitionOut,
        errors=(404,),
        query=(
            Query(
                "on", "ISO date; default today", {"type": "string", "format": "date"}
            ),
        ),
    )
    def get_definition(
        self, request: Request, plan_id: str, indicator_id: str
    ) -> Response:
        self._allow(request, plan_id, READ_ROLES)
        try:
            on = date.fromisoformat(request.args.get("on", date.today().isoformat()))
        except ValueError:
            raise BadRequestError("'on' must be an ISO date, e.g. 2026-01-31") from None
        return json_response(
            200,
            views.definition_out(
                self.backend.app.definition(plan_id, indicator_id), on
            ),
        )

    @api.route(
        "POST",
        "/plans/<string:plan_id>/indicators/<string:indicator_id>/definitions",
        summary="Redefine an indicator from a date",
        request=api_models.Redefine,
        status=204,
        errors=(404,),
    )
    def redefine(self, request: Request, plan_id: str, indicator_id: str) -> Response:
        self._allow(request, plan_id, EDIT)
        command = api_models.Redefine.model_validate(read_json(request))
        self.backend.app.redefine_indicator(
            plan_id, indicator_id, **command.model_dump()
        )
        return json_response(204, "")

    # tokens

    @api.route(
        "POST",
        "/tokens",
        summary="Issue a token (administrator)",
        request=api_models.IssueToken,
        response=api_models.TokenOut,
        status=201,
    )
    def issue_token(self, request: Request) -> Response:
        self._allow(request, ALL_PLANS, frozenset())
        command = api_models.IssueToken.model_validate(read_json(request))
        token_id, secret = self.backend.app.issue_token(
            command.label, list(command.grants), command.source_prefixes
        )
        return json_response(201, api_models.TokenOut(token_id=token_id, token=secret))

    @api.route(
        "DELETE",
        "/tokens/<string:token_id>",
        summary="Revoke a token (administrator)",
        status=204,
        errors=(404,),
    )
    def revoke_token(self, request: Request, token_id: str) -> Response:
        self._allow(request, ALL_PLANS, frozenset())
        self.backend.app.revoke_token(token_id, "revoked over HTTP")
        return json_response(204, "")

    # the log, health and the API itself

    @api.route(
        "GET",
        "/notifications",
        summary="The published log after a position",
        auth=False,
        query=(
            Query("after", "log position", {"type": "integer", "minimum": 0}),
            Query(
                "limit", "at most", {"type": "integer", "minimum": 1, "maximum": 5000}
            ),
        ),
    )
    def notifications(self, request: Request) -> Response:
        return serve_page(self.backend.log, request)

    @http("GET", "/openapi.json")
    def openapi(self, request: Request) -> Response:
        return json_response(200, api.document())

    @http("GET", "/health")
    def health(self, request: Request) -> Response:
        backend = self.backend
        status, body = health.report(
            self.name,
            self.config["AMQP_URI"],
            backend.log.head,
            log=backend.log,
            relay=backend.relay,
        )
        return json_response(status, body)


def file_problems(error: AgreementFileError) -> list[dict[str, str]]:
    return [
        {"field": field, "message": message.strip()}
        for field, _, message in (p.partition(": ") for p in error.problems)
    ]


def _approver(
    principal: access.Principal, plan_id: str, wanted: str | None
) -> Approver:
    held = [Approver(r.value) for r in principal.roles_for(plan_id) if r in APPROVE]
    if wanted is not None:
        if Approver(wanted) not in held:
            raise access.ForbiddenError(
                f"token {principal.token_id} is not {wanted} for {plan_id}"
            )
        return Approver(wanted)
    if len(held) != 1:
        raise BadRequestError(
            'say which role approves: {"role": "board_approver"} or lbf_approver'
        )
    return held[0]
