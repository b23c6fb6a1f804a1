"""Admin of surveys (reference and correction; the pages build questionnaires and take
responses, through surveys.services)."""

from django.contrib import admin

from surveys.models import Answer, Choice, Question, Response, Round, Survey, SurveyVersion


class VersionInline(admin.TabularInline):
    model = SurveyVersion
    extra = 0
    fields = ["number", "status"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "cluster"]
    list_filter = ["kind"]
    search_fields = ["code"]
    list_select_related = ["cluster"]
    inlines = [VersionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "version", "position", "section"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["version__survey"]
    inlines = [ChoiceInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "cluster", "audience", "starts_on", "ends_on"]
    list_filter = ["audience"]
    search_fields = ["title"]
    list_select_related = ["version__survey", "cluster"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "text", "number", "choices"]
    raw_id_fields = ["question"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["round", "cluster", "firm", "bso", "person", "answered_on", "source"]
    list_filter = ["source"]
    list_select_related = ["round", "cluster", "firm", "bso"]
    raw_id_fields = ["firm", "bso", "entered_by"]
    inlines = [AnswerInline]
