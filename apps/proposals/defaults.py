"""The reference data every installation starts with: categories, reply classes and default handling rules.

Staff edit them afterwards; ``ensure_defaults`` only fills empty tables.
"""

CATEGORIES = ["经济", "城建", "教育", "卫生", "农业", "社会保障", "生态环境", "法治", "科技", "文化", "交通",
              "民政", "其他"]

# code, name, followed up until solved, counts as solved
REPLY_CLASSES = [
    ("A", "已解决或基本解决", False, True),
    ("B", "正在解决或列入计划", True, False),
    ("C", "因条件限制需以后解决", True, False),
    ("D", "留作参考", False, False),
]

MOTION_MIN_SIGNERS = 10
TOWNSHIP_MOTION_MIN_SIGNERS = 5


def ensure_defaults() -> None:
    from apps.proposals.models import Category, ReplyClass

    if not Category.objects.exists():
        Category.objects.bulk_create([Category(name=name, position=index * 10)
                                      for index, name in enumerate(CATEGORIES, start=1)])
    if not ReplyClass.objects.exists():
        ReplyClass.objects.bulk_create([
            ReplyClass(code=code, name=name, needs_follow_up=follow, counts_as_solved=solved, position=index)
            for index, (code, name, follow, solved) in enumerate(REPLY_CLASSES, start=1)])
