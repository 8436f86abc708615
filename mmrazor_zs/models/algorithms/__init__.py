# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .base import TeacherStudentModel
from .dafl import DAFL
from .dfad import DFAD
from .dfq import DFQ
from .generator_distiller import GeneratorDistiller
from .kd_at import KDAT
from .zskd import ZSKD
from .zskt import ZSKT

__all__ = [
    'DAFL', 'DFAD', 'DFQ', 'GeneratorDistiller', 'KDAT', 'TeacherStudentModel',
    'ZSKD', 'ZSKT'
]
