"""Draw the application icon: a white shield with a house on the UI's calm blue (#1f5f99).

Writes ``resources/icons/app.png`` (256×256, for the Linux desktop entry and the window manager) and
``resources/icons/app.ico`` (16…256 px, for the Windows executable and installer).  The committed files are
the product; run this only to change the design::

    .venv/bin/python packaging/make_icon.py

Drawn at 1024 px and scaled down with a Lanczos filter, so the edges are smooth at every size.
Needs Pillow (present in the dev environment through matplotlib).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
BLUE = (31, 95, 153, 255)  # style.ACCENT, #1f5f99
LIGHT = (209, 233, 255, 255)  # #d1e9ff, the UI's light accent
WHITE = (255, 255, 255, 255)
S = 1024


def bezier(p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float],
           steps: int = 40) -> list[tuple[float, float]]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        out.append(((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t ** 2 * p2[0],
                    (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t ** 2 * p2[1]))
    return out


def shield(cx: float, top: float, half_w: float, shoulder: float, bottom: float) -> list[tuple[float, float]]:
    """A heater shield: flat top with a shallow dip, straight sides, curved to a point."""
    left, right = cx - half_w, cx + half_w
    pts = bezier((left, top), (cx, top + 60), (right, top))  # the top dips slightly in the middle
    pts += [(right, shoulder)]
    pts += bezier((right, shoulder), (right, bottom - 120), (cx, bottom))[1:]
    pts += bezier((cx, bottom), (left, bottom - 120), (left, shoulder))[1:]
    return pts


def draw() -> Image.Image:
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((48, 48, S - 48, S - 48), radius=190, fill=BLUE)
    d.polygon(shield(512, 190, 300, 520, 880), fill=WHITE)
    d.polygon(shield(512, 235, 255, 515, 825), fill=LIGHT)
    # The house: a roof with eaves, the walls, and a door.
    d.polygon([(512, 330), (690, 500), (640, 500), (640, 690), (384, 690), (384, 500), (334, 500)], fill=BLUE)
    d.rectangle((480, 570, 544, 690), fill=LIGHT)
    return img


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "app.png", optimize=True)
    big.resize((256, 256), Image.Resampling.LANCZOS).save(
        ICONS / "app.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(ICONS / "app.png", ICONS / "app.ico")


if __name__ == "__main__":
    main()
