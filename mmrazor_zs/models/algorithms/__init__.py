# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .base import TeacherStudentModel
from .kd_at import KDAT
from .zskd import ZSKD
from .zskt import ZSKT

__all__ = ['KDAT', 'TeacherStudentModel', 'ZSKD', 'ZSKT']
