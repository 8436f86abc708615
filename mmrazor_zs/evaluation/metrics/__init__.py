# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .teacher_reference import TeacherReference

__all__ = ['TeacherReference']
