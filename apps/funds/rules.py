"""The funds' rules in one place: who is a leader, and when an expenditure may exceed the balance."""

from apps.core import roles

# The leader who approves, returns and overrides (领导审批): the supervisor role (督办), the committee office's
# leadership in apps/core/roles.py. A committee leader (主任会议) has no account role of its own, so the
# supervisor role is the one that can be granted and scoped.
LEADER_ROLES = (roles.SUPERVISOR,)
APPROVE_PERMISSION = "funds.approve_expenditure"


def is_leader(user) -> bool:
    return bool(user.roles.intersection(LEADER_ROLES)) and user.has_perm(APPROVE_PERMISSION)
