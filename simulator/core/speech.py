"""What the patient says: one short, natural line for each event the patient would notice.

Lines are fixed per situation (no randomness), so the same actions always give the same
words and replays read the same. Body-map regions are spoken the way a patient names them
("my temple"), from the body-map vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.scenario.body_map import BODY_MAP

DEFAULT_RECOGNITION = "Yes, that's it. That's exactly the pain I get."
PARTLY_RECOGNISED = "Hmm, that's a bit like my pain, but not quite."


def _possessive(spoken: str) -> str:
    """'temple' -> 'my temple'; 'back of the neck' -> 'the back of my neck'."""
    if spoken.startswith(("where ", "between ")):
        return spoken.replace("the ", "my ")
    if " of the " in spoken:
        return "the " + spoken.replace(" of the ", " of my ", 1)
    return f"my {spoken}"


def spoken_regions(regions: Sequence[str]) -> str:
    """'my temple and the back of my neck' from body-map names (unknown names are skipped)."""
    names: list[str] = []
    for region in regions:
        entry = BODY_MAP.get(region)
        if entry is not None and _possessive(entry.spoken) not in names:
            names.append(_possessive(entry.spoken))
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


# ---------------------------------------------------------------- preparation
def consent() -> str:
    return "Yes, I understand. Go ahead."


def positioned(recommended: bool) -> str:
    return "Okay, like this?" if recommended else "Like this? It's a bit awkward."


def skin_prep() -> str:
    return "Ooh, that's cold."


def skin_wheal() -> str:
    return "Just a little sting... it's going numb."


# ---------------------------------------------------------------- palpation
def palpation(
    pain: int,
    jump_sign: bool,
    recognition: str,
    recognition_phrase: str | None,
    referred_regions: Sequence[str],
) -> str | None:
    """The patient's answer to a press: silence for no pain, words that grow with the pain.

    `recognition` is yes, partly or no: a latent point can feel a little like the complaint.
    """
    if pain <= 0:
        return None
    parts: list[str] = []
    if jump_sign:
        parts.append("Ow!")
    if recognition == "yes":
        parts.append(recognition_phrase or DEFAULT_RECOGNITION)
    elif recognition == "partly":
        parts.append(PARTLY_RECOGNISED)
    elif pain >= 7:
        parts.append("That's really sore.")
    elif pain >= 4:
        parts.append("Yes, that's tender.")
    else:
        parts.append("A little sore there.")
    where = spoken_regions(referred_regions)
    if where:
        parts.append(f"I can feel it going up into {where}.")
    elif pain >= 4 and recognition == "no":
        parts.append("It stays just where you're pressing.")
    return " ".join(parts)


def twitch(source: str) -> str | None:
    if source == "needle":
        return "Whoa, the muscle just jumped!"
    return "Oh, something twitched under your finger."


# ---------------------------------------------------------------- needle
def skin_puncture(pain: int, after_wheal: bool) -> str:
    if after_wheal:
        return "I can feel some pressure, but it's fine."
    if pain >= 4:
        return "Ouch, that's a sharp scratch."
    return "Just a little scratch."


def paraesthesia(territory: Sequence[str]) -> str:
    where = spoken_regions(territory)
    if where:
        return f"Ah! An electric shock went down into {where}!"
    return "Ah! That felt like an electric shock!"


def bone_contact() -> str:
    return "Ooh, that's a deep, dull ache."


def vessel_puncture() -> str | None:
    return None  # the patient does not feel the needle enter a vessel


def haematoma() -> str:
    return "It feels tight and swollen where you were."


def pleura_puncture() -> str | None:
    return None  # often unnoticed at the time; symptoms come later (docs/sources.md [41][42])


def pneumothorax_symptoms() -> str:
    # New pleuritic chest pain or breathlessness after neck or thoracic needling (docs/sources.md [41][42]).
    return "I've got a sharp pain in my chest when I breathe in, and I'm a bit short of breath."


def vasovagal() -> str:
    return "I feel really faint... hot and sick. Everything's going grey."


# ---------------------------------------------------------------- drug
def aspirated(blood: bool) -> str | None:
    return None


def injected(tissue: str) -> str:
    if tissue in ("fat", "skin"):
        return "That stings under the skin."
    return "I can feel a pressure building in there."


def allergic(reaction: str) -> str:
    return "I'm itching all over... I think I'm coming out in hives. My throat feels a bit tight."


def counsel(topic: str) -> str:
    return "Okay, I'll keep an eye on that."
