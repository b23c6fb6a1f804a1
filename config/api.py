"""The /api/v1/ router: every app's API views in one table of contents."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.tokens.api import ApiTokenViewSet, TokenView
from bsos.api.views import BSOViewSet, ClusterSupportViewSet
from calls.api.views import ApplicationViewSet, CallViewSet
from clusters.api.views import (
    ActionItemViewSet,
    ClusterViewSet,
    CommitteeMemberViewSet,
    CommitteeViewSet,
    CountryViewSet,
    RegionViewSet,
)
from firms.api.views import FirmViewSet, MembershipViewSet
from monitoring.api.urls import ROUTES as MONITORING_ROUTES
from monitoring.api.urls import urlpatterns as monitoring_paths
from notifications.api import NotificationViewSet
from plans.api.views import PlanActionViewSet, PlanViewSet
from programs.api.views import EnrolmentViewSet, ProgramViewSet
from programs.rates.api import ExchangeRateViewSet
from public.api.views import ProgramIatiView
from public.exchange.api import CaseStudyViewSet, ExchangeVisitViewSet
from scorecards.api.views import (
    BaselineViewSet,
    ClusterScorecardViewSet,
    ComponentKPIViewSet,
    CSFViewSet,
    KPIViewSet,
    PeriodViewSet,
    PerspectiveViewSet,
    TargetViewSet,
    TemplateKPIViewSet,
    TemplateViewSet,
)
from surveys.api.views import (
    SurveyResponseViewSet,
    SurveyResultViewSet,
    SurveyRoundViewSet,
    SurveyViewSet,
)

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("countries", CountryViewSet, basename="country")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("bsos", BSOViewSet, basename="bso")
router.register("cluster-supports", ClusterSupportViewSet, basename="clustersupport")
router.register("committees", CommitteeViewSet, basename="committee")
router.register("committee-members", CommitteeMemberViewSet, basename="committeemember")
router.register("action-items", ActionItemViewSet, basename="actionitem")
router.register("templates", TemplateViewSet, basename="template")
router.register("perspectives", PerspectiveViewSet, basename="perspective")
router.register("csfs", CSFViewSet, basename="csf")
router.register("template-kpis", TemplateKPIViewSet, basename="templatekpi")
router.register("kpis", KPIViewSet, basename="kpi")
router.register("periods", PeriodViewSet, basename="period")
router.register("baselines", BaselineViewSet, basename="baseline")
router.register("targets", TargetViewSet, basename="target")
router.register("cluster-scorecards", ClusterScorecardViewSet, basename="clusterscorecard")
router.register("component-kpis", ComponentKPIViewSet, basename="componentkpi")
router.register("programs", ProgramViewSet, basename="program")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("firms", FirmViewSet, basename="firm")
router.register("firm-memberships", MembershipViewSet, basename="firmmembership")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchangerate")
router.register("calls", CallViewSet, basename="call")
router.register("applications", ApplicationViewSet, basename="application")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("survey-rounds", SurveyRoundViewSet, basename="surveyround")
router.register("survey-responses", SurveyResponseViewSet, basename="surveyresponse")
router.register("survey-results", SurveyResultViewSet, basename="surveyresult")
for prefix, viewset, basename in MONITORING_ROUTES:
    router.register(prefix, viewset, basename=basename)
router.register("plans", PlanViewSet, basename="plan")
router.register("plan-actions", PlanActionViewSet, basename="planaction")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("case-studies", CaseStudyViewSet, basename="casestudy")
router.register("exchange-visits", ExchangeVisitViewSet, basename="exchangevisit")
router.register("auth/tokens", ApiTokenViewSet, basename="apitoken")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    *monitoring_paths,
    path("programs/<int:pk>/iati/", ProgramIatiView.as_view(), name="program-iati"),
    *router.urls,
]
