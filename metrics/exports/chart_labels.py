"""Where each value label of a deck chart goes, so that none covers a line, a marker or another label.

The deck fixes the plot area of every chart (``chart_layout``), so the place of every point, line and
label is known in points before PowerPoint or LibreOffice draws it. Each label tries its places in
turn — above a point, below it, right, left; on a column above its end, inside its end, inside its
base — and takes the first that is free; a label with no free place is left out (the value is in the
sentence beside the chart and in the speaker notes). The latest value is placed first, then the first,
then the others from the latest back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.exports.textfit import text_width

LABEL_PT = 16
PAD_X, PAD_Y = 4.0, 2.0  # the label's white ground around its text
MARKER = 9.0  # the points' markers, in points
GAP = MARKER / 2 + 2  # from a point's centre to its label
PLAIN_GAP = 1.0  # from a point without a marker (a line's name) to its label
COLUMN_GAP = 1.0  # from a column's end to its label (as LibreOffice draws it)
CLEARANCE = 2.0  # lines keep this far from a label's ground

ABOVE, BELOW, RIGHT, LEFT = "above", "below", "right", "left"
OUTSIDE_END, INSIDE_END, INSIDE_BASE = "outside_end", "inside_end", "inside_base"
LINE_PLACES = (ABOVE, BELOW, RIGHT, LEFT)
COLUMN_PLACES = (OUTSIDE_END, INSIDE_END, INSIDE_BASE)


@dataclass(frozen=True)
class Box:
    """A rectangle in points, y up from the bottom of the plot."""

    left: float
    bottom: float
    right: float
    top: float

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.bottom - by, self.right + by, self.top + by)

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.bottom < other.top \
            and other.bottom < self.top

    def crossed_by(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment from ``a`` to ``b`` passes through the box (Liang–Barsky clipping)."""
        (x0, y0), (x1, y1) = a, b
        dx, dy = x1 - x0, y1 - y0
        start, end = 0.0, 1.0
        for p, q in ((-dx, x0 - self.left), (dx, self.right - x0), (-dy, y0 - self.bottom), (dy, self.top - y0)):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                start = max(start, t)
            else:
                end = min(end, t)
            if start > end:
                return False
        return True


@dataclass(frozen=True)
class Plot:
    """The plot area of one chart: its size in points, its value axis and its categories."""

    width: float
    height: float
    low: float
    high: float
    count: int  # categories
    right_room: float = 0.0  # how far a label may reach right of the plot (the chart's margin)

    def x(self, index: float) -> float:
        return (index + 0.5) * self.width / self.count

    def y(self, value: float) -> float:
        return (value - self.low) / (self.high - self.low) * self.height

    def point(self, index: int, value: float) -> tuple[float, float]:
        return self.x(index), self.y(value)

    def holds(self, box: Box) -> bool:
        return box.left >= 0 and box.bottom >= 0 and box.top <= self.height and box.right <= self.width + self.right_room


@dataclass(frozen=True)
class Label:
    index: int  # the point (category) labelled
    text: str
    place: str
    box: Box


def size(text: str, size_pt: float = LABEL_PT, bold: bool = True) -> tuple[float, float]:
    """Width and height of a label's ground, in points."""
    return text_width(text, size_pt, bold=bold) + 2 * PAD_X, size_pt * 1.2 + 2 * PAD_Y


def candidate(place: str, x: float, y: float, w: float, h: float, base: float, gap: float = GAP) -> Box:
    """The ground of a label at ``place`` for the point (or column end) at ``x, y``, ``gap`` away from a
    point; ``base``: a column's foot."""
    if place == ABOVE:
        return Box(x - w / 2, y + gap, x + w / 2, y + gap + h)
    if place == BELOW:
        return Box(x - w / 2, y - gap - h, x + w / 2, y - gap)
    if place == RIGHT:
        return Box(x + gap, y - h / 2, x + gap + w, y + h / 2)
    if place == LEFT:
        return Box(x - gap - w, y - h / 2, x - gap, y + h / 2)
    if place == OUTSIDE_END:
        return Box(x - w / 2, y + COLUMN_GAP, x + w / 2, y + COLUMN_GAP + h)
    if place == INSIDE_END:
        return Box(x - w / 2, y - COLUMN_GAP - h, x + w / 2, y - COLUMN_GAP)
    return Box(x - w / 2, base + COLUMN_GAP, x + w / 2, base + COLUMN_GAP + h)


def order(indexes: list[int]) -> list[int]:
    """The latest point first, then the first, then the others from the latest back."""
    if len(indexes) <= 2:
        return list(reversed(indexes))
    return [indexes[-1], indexes[0], *reversed(indexes[1:-1])]


@dataclass
class Obstacles:
    """What a label keeps clear of. ``lines`` (the target, a floor) and ``boxes`` (markers, labels placed
    so far) are never covered; ``soft`` lines (the values' own line, the path, the projection) only when
    no other place is free."""

    lines: list[list[tuple[float, float]]]
    boxes: list[Box]
    soft: list[list[tuple[float, float]]] = field(default_factory=list)

    def clear(self, box: Box, strict: bool = True, own: list | None = None) -> bool:
        """Whether ``box`` keeps clear (``own``: the line the label names, which it sits on)."""
        ground = box.grown(CLEARANCE)
        if any(ground.overlaps(other) for other in self.boxes):
            return False
        lines = [line for line in (self.lines + self.soft if strict else self.lines) if line is not own]
        return not any(ground.crossed_by(a, b) for line in lines for a, b in zip(line, line[1:]))


@dataclass(frozen=True)
class Style:
    """What is being labelled: its places in order of preference, and the type of its labels."""

    places: tuple[str, ...] = LINE_PLACES
    size_pt: float = LABEL_PT
    bold: bool = True
    column_width: float = 0.0  # columns: a label inside a column must fit in it
    gap: float = GAP


VALUES = Style()


def _fits(plot: Plot, where: str, box: Box, style: Style, base: float, y: float) -> bool:
    if where in (INSIDE_END, INSIDE_BASE) and (box.right - box.left > style.column_width
                                               or y - base < box.top - box.bottom + 2 * COLUMN_GAP):
        return False
    return plot.holds(box)


def _try(plot: Plot, index: int, value: float, text: str, obstacles: Obstacles, style: Style,
         strict: bool, own: list | None = None) -> Label | None:
    w, h = size(text, style.size_pt, style.bold)
    x, y = plot.point(index, value)
    base = plot.y(max(plot.low, 0.0))
    for where in style.places:
        box = candidate(where, x, y, w, h, base, style.gap)
        if _fits(plot, where, box, style, base, y) and obstacles.clear(box, strict, own):
            obstacles.boxes.append(box)
            return Label(index, text, where, box)
    return None


def place(plot: Plot, points: dict[int, tuple[float, str]], obstacles: Obstacles, style: Style = VALUES) -> list[Label]:
    """A label for every point of ``points`` (index -> (value, text)) that has a place: a free one, else
    one that covers only a soft line."""
    placed = []
    for index in order(sorted(points)):
        value, text = points[index]
        found = _try(plot, index, value, text, obstacles, style, True) \
            or _try(plot, index, value, text, obstacles, style, False)
        if found:
            placed.append(found)
    return sorted(placed, key=lambda label: label.index)


def place_one(plot: Plot, values: dict[int, float], text: str, indexes: list[int], obstacles: Obstacles,
              style: Style, own: list | None = None) -> Label | None:
    """One label for a line (the target, the path, the projection), at the first of ``indexes`` where it
    is free, else where it covers only a soft line; None when it fits nowhere. ``own``: that line."""
    for strict in (True, False):
        for index in indexes:
            found = _try(plot, index, values[index], text, obstacles, style, strict, own)
            if found:
                return found
    return None
