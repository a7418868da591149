"""Real photographs: the sample photos that scikit-image ships inside its wheel.

`sample_photo(name)` returns the path of one of them, to be read with `load_image`;
`photo_credit(name)` returns the sentence that credits it. Only photos whose licence
scikit-image's documentation states as free (CC0 or public domain) are listed, with the
licence and photographer as stated there (in the docstrings of ``skimage.data``).
scikit-image is imported only when a path is asked for.
"""

import os
from types import MappingProxyType

#: name -> (file in skimage/data, what it shows, licence and author as scikit-image states)
PHOTOS = MappingProxyType({
    "astronaut": ("astronaut.png", "the astronaut Eileen Collins",
                  "public domain (NASA)"),
    "brick": ("brick.png", "a brick wall",
              "CC0, from CC0Textures"),
    "camera": ("camera.png", "a photographer and his camera",
               "CC0, by Lav Varshney"),
    "chelsea": ("chelsea.png", "Chelsea the cat",
                "CC0, by Stefan van der Walt"),
    "coffee": ("coffee.png", "a cup of coffee",
               "CC0, by Rachel Michetti"),
    "grass": ("grass.png", "grass", "CC0, from DeviantArt user linolafett"),
    "gravel": ("gravel.png", "gravel", "CC0, from CC0Textures"),
})


def _entry(name):
    """The PHOTOS entry for ``name``, or a clear error for anything else."""
    if not isinstance(name, str):
        raise TypeError(f"photo name must be a str, got {type(name).__name__} {name!r}")
    if name not in PHOTOS:
        raise ValueError(f"unknown sample photo {name!r}; choose one of {sorted(PHOTOS)}")
    return PHOTOS[name]


def sample_photo(name):
    """Path of one of scikit-image's sample photographs.

    Parameters
    ----------
    name : str
        A key of `PHOTOS`: ``"astronaut"``, ``"brick"``, ``"camera"``, ``"chelsea"``,
        ``"coffee"``, ``"grass"`` or ``"gravel"``.

    Returns
    -------
    path : str
        The PNG file inside the installed ``skimage.data`` folder; read it with
        ``load_image(path, gray=..., size=...)``.

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If ``name`` is not a key of `PHOTOS`.
    ModuleNotFoundError
        If scikit-image is not installed.
    FileNotFoundError
        If the installed scikit-image does not ship that file.
    """
    filename = _entry(name)[0]
    try:
        import skimage.data
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "sample_photo needs scikit-image, whose wheel ships the photos: "
            "pip install scikit-image") from error
    path = os.path.join(os.path.dirname(skimage.data.__file__), filename)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"scikit-image has no {filename} at {path}")
    return path


def photo_credit(name):
    """One sentence crediting a sample photo, e.g. for a figure caption.

    Parameters
    ----------
    name : str
        A key of `PHOTOS`.

    Returns
    -------
    credit : str
        What the photo shows, its licence and author, and where it comes from, e.g.
        ``"A brick wall: CC0, from CC0Textures (scikit-image sample)"``.
    """
    _, subject, licence = _entry(name)
    return f"{subject[0].upper() + subject[1:]}: {licence} (scikit-image sample)"
