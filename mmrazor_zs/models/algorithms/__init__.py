# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .base import TeacherStudentModel
from .cmi import CMI
from .cpnet import CPNet
from .dafl import DAFL
from .deepinversion import ADI, DeepInversion
from .dfad import DFAD
from .dfq import DFQ
from .fast import Fast
from .generator_distiller import GeneratorDistiller
from .inversion_distiller import InversionDistiller
from .kd_at import KDAT
from .nayer import NAYER
from .zskd import ZSKD
from .zskt import ZSKT

__all__ = [
    'ADI', 'CMI', 'CPNet', 'DAFL', 'DFAD', 'DFQ', 'DeepInversion', 'Fast',
    'NAYER', 'GeneratorDistiller', 'InversionDistiller', 'KDAT',
    'TeacherStudentModel', 'ZSKD', 'ZSKT'
]
