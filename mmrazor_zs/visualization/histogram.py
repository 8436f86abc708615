# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Sequence, cast

import numpy as np


def class_histogram_image(
        shares: Sequence[float],
        entropy: float,
        title: str = 'teacher classes of generated images') -> np.ndarray:
    """A bar chart of class shares as an RGB uint8 array (H, W, 3), with the
    normalised entropy in its title."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig, ax = plt.subplots(figsize=(4, 2.6), dpi=100)
    ax.bar(range(len(shares)), shares, color='tab:blue')
    ax.set_xticks(range(len(shares)))
    ax.set_ylim(0, 1)
    ax.set_xlabel('class')
    ax.set_ylabel('share')
    ax.set_title(f'{title}\nentropy {entropy:.2f} of 1', fontsize=9)
    fig.tight_layout()
    fig.canvas.draw()
    canvas = cast(FigureCanvasAgg, fig.canvas)  # the Agg backend's canvas
    image = np.asarray(canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return image
