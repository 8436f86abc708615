# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .base import TeacherStudentModel
from .zskd import ZSKD
from .zskt import ZSKT

__all__ = ['TeacherStudentModel', 'ZSKD', 'ZSKT']
