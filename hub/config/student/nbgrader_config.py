import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ["AIREG_COURSE_ID"]
c.Exchange.root = os.environ["AIREG_EXCHANGE"]
