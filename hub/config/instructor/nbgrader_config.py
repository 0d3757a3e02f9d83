import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ["AIREG_COURSE_ID"]
c.Exchange.root = os.environ["AIREG_EXCHANGE"]
# the course's own configuration (preprocessors, limits, sandbox)
load_subconfig(os.path.join(os.environ["AIREG_COURSE"], "nbgrader_config.py"))  # noqa: F821
c.CourseDirectory.root = os.environ["AIREG_COURSE"]
