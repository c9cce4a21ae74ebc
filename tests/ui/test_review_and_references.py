"""What the picker and the debrief say about a case's provenance: "Not yet clinically reviewed"
while `author.reviewed_by` is empty, and the references behind the numbers the debrief shows."""

import numpy as np
import pygame

from simulator.core.session import Session
from simulator.records import read_replay
from simulator import paths
from simulator.render import palette as pal
from simulator.scenario.sources import NOT_REVIEWED
from tests.ui.driving import wait


def colour_pixels(surface, rect, colour, tolerance=12) -> int:
    px = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    return int((np.abs(px - np.array(colour[:3])).sum(axis=2) < tolerance).sum())


def test_picker_flags_an_unreviewed_case_and_not_a_reviewed_one(make_app, library, artifacts):
    cases, catalogue = library
    app = make_app(size=(1280, 800))
    app.frame(1 / 60)
    details = app.screen.layout.details
    unreviewed = colour_pixels(app.window, details, pal.WARN)
    pygame.image.save(app.window, str(artifacts / "picker_not_reviewed.png"))
    assert not cases[0].author.reviewed_by and unreviewed > 40  # the amber "Not yet clinically reviewed"
    reviewed = [c.model_copy(update={"author": c.author.model_copy(update={"reviewed_by": "Dr R Reviewer"})})
                for c in cases]
    other = make_app(size=(1280, 800), cases=reviewed)
    other.frame(1 / 60)
    assert colour_pixels(other.window, other.screen.layout.details, pal.WARN) == 0
    assert colour_pixels(other.window, other.screen.layout.details, pal.OK) > 40  # "Clinically reviewed by ..."


def test_debrief_says_not_reviewed_and_lists_the_cited_references(make_app, library, artifacts):
    cases, catalogue = library
    case = next(c for c in cases if c.id == "s9_scm_whiplash")
    app = make_app(size=(1280, 800))
    header, timed = read_replay(paths.REPLAYS_DIR / "s9_scm_whiplash.expert.jsonl")
    session = Session(case, catalogue, header["seed"])
    session.run(timed)
    app.show_debrief(case, session, timed)
    wait(app, 0.2)
    pygame.image.save(app.window, str(artifacts / "debrief_references.png"))
    items = app.screen.teaching_items
    assert items[0] == NOT_REVIEWED + "."
    references = [i for i in items if i.startswith("Reference [")]
    numbers = [int(r.split("[")[1].split("]")[0]) for r in references]
    assert 210 in numbers and 211 in numbers  # cited by the teaching points on the red flag
    listed = {r.id: r.citation for r in case.references}
    assert all(r.endswith(listed[n]) for r, n in zip(references, numbers))
