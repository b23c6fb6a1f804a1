"""/api/v1/meetings/: the clusters API's meetings (clusters.api.views.MeetingViewSet: scope,
filters, serializer), whose writes go through the governance services, so that a meeting
recorded through the API is logged as its activity too, as one recorded from the pages is."""

from clusters.api.views import MeetingViewSet
from monitoring.governance.services import steering_meeting_change, steering_meeting_record


class SteeringMeetingViewSet(MeetingViewSet):
    def create_object(self, data):
        committee = data.pop("committee")
        return steering_meeting_record(committee=committee, data=data, user=self.request.user)

    def update_object(self, instance, data):
        return steering_meeting_change(meeting=instance, data=data, user=self.request.user)
