"""fanguai_desk — offline encrypted registry for rescued victims of human trafficking."""

__version__ = "0.1.0"
