"""Public pages of consultations (/consultations/): the list by phase, a
consultation, the comment form, the feedback, files and feeds."""

from urllib.parse import quote

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from disclosure.workflow import WorkflowError
from portal import ratelimit

from .. import selectors
from ..feedback import add_comment
from ..forms import CommentForm
from ..http import FEED_MAX_AGE, cache_headers

#: Comments per address: a few in ten minutes is plenty for a person.
COMMENT_LIMIT, COMMENT_WINDOW = 5, 600


def _consultation(pk):
    consultation = selectors.public_consultation(pk)
    if consultation is None:
        raise Http404
    return consultation


@require_GET
@cache_headers
def consultation_list(request):
    phase = request.GET.get("status", "open")
    if phase not in selectors.PHASES:
        phase = "open"
    return render(
        request,
        "disclosure/participation/consultation_list.html",
        {
            "phase": phase,
            "consultations": list(selectors.public_consultations(phase)),
            "counts": selectors.phase_counts(),
        },
    )


@require_GET
@cache_headers
def consultation_detail(request, pk):
    consultation = _consultation(pk)
    return render(
        request,
        "disclosure/participation/consultation_detail.html",
        {
            "consultation": consultation,
            "phase": consultation.phase(),
            "comments": list(selectors.shown_comments(consultation)),
            "received": selectors.received_count(consultation),
        },
    )


@require_http_methods(["GET", "POST"])
@cache_headers
def comment_form(request, pk):
    """The comment form (works without JavaScript). A comment is kept for
    moderation; the visitor is told so, and nothing is shown before."""
    consultation = _consultation(pk)
    if consultation.phase() != "open":
        return render(
            request,
            "disclosure/participation/comment_closed.html",
            {"consultation": consultation, "phase": consultation.phase()},
            status=200 if request.method == "GET" else 409,
        )
    if request.method == "POST":
        refused = ratelimit.limit_for(
            "consultation-comment", request, limit=COMMENT_LIMIT, window=COMMENT_WINDOW
        )
        if refused is not None:
            return refused
        form = CommentForm(request.POST)
        if form.is_spam:
            return redirect(_thanks(consultation))
        if form.is_valid():
            try:
                add_comment(
                    consultation=consultation,
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    body=form.cleaned_data["body"],
                )
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                return redirect(_thanks(consultation))
    else:
        form = CommentForm()
    return render(
        request,
        "disclosure/participation/comment_form.html",
        {"consultation": consultation, "form": form},
        status=400 if form.errors else 200,
    )


def _thanks(consultation):
    return reverse("participation:comment-thanks", args=[consultation.pk])


@require_GET
@cache_headers
def comment_thanks(request, pk):
    return render(
        request,
        "disclosure/participation/comment_thanks.html",
        {"consultation": _consultation(pk)},
    )


@require_GET
@cache_headers
def feedback(request, pk):
    consultation = _consultation(pk)
    if not consultation.has_feedback:
        raise Http404
    return render(
        request,
        "disclosure/participation/feedback.html",
        {
            "consultation": consultation,
            "received": selectors.received_count(consultation),
            "comments": list(selectors.shown_comments(consultation)),
        },
    )


@require_GET
@cache_headers(max_age=FEED_MAX_AGE)
def consultation_file(request, pk, token):
    attachment = selectors.public_file(pk, token)
    if attachment is None:
        raise Http404
    copy = attachment.public_copy
    if not copy:
        raise Http404
    try:
        handle = copy.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=attachment.content_type)
    ascii_name = f"attachment.{attachment.extension}"
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(attachment.original_name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
