# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .algorithms import *  # noqa: F401,F403
from .augments import *  # noqa: F401,F403
from .backbones import *  # noqa: F401,F403
from .generators import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .synthesizers import *  # noqa: F401,F403
from .wrappers import *  # noqa: F401,F403
