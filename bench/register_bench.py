"""Time and memory of ``dhr register`` on 650 generated reviews (about the national
library's size).

Writes 650 fictional review folders (bench/register_data.py; seeded, so every run is the
same), then runs ``dhr register`` in a child process three times: from nothing, after one
review's action plan changed (a status update, the everyday change), and after one
review's recommendation changed (which redoes the similarity links). Prints the seconds
and the peak memory of each (the main process's, and the largest worker's). The
figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from register_data import Action, Person, Spec, write_review  # noqa: E402

AGENCIES = ("Kent Police", "Kent County Council Adult Social Care",
            "NHS Kent and Medway Integrated Care Board",
            "Kent and Medway NHS and Social Care Partnership Trust",
            "The specialist domestic abuse service", "Probation Service", "Medway Council",
            "Kent County Council Children's Social Care", "Kent Community Safety Partnership")
ASKS = (
    "should ensure that high-risk cases are referred to MARAC on professional judgement",
    "should train staff to recognise coercive control in routine contacts",
    "should offer a carer's assessment to family members who provide care",
    "should consider a Stalking Protection Order in every stalking investigation",
    "should ask about domestic abuse in every mental health assessment",
    "should develop a pathway for families experiencing adolescent-to-parent violence",
    "should reassess safety measures, including target hardening, when a victim moves",
    "should not close a referral without agreeing a safe route of contact",
    "should provide interpreters for victims whose first language is not English",
    "should share the risk a perpetrator poses to a new partner with MARAC",
    "should record concerns in the records of both the victim and the perpetrator",
    "should see each parent and the child separately in assessments",
    "should encourage employers to adopt domestic abuse workplace policies",
    "should check the welfare of older tenants who take in lodgers",
    "should consider a disclosure under the Domestic Violence Disclosure Scheme",
    "should review how control room staff grade calls about breaches of orders",
    "should follow up patients who miss appointments when abuse is known",
    "should commission a bereavement service for families after a homicide",
    "should audit how often practices refer patients to domestic abuse services",
    "should teach healthy relationships in personal, social and health education",
)
WHERE = ("in every case", "across Kent and Medway", "and report progress to the partnership",
         "within six months", "and record the decision", "for every high-risk victim")
DISTRICTS = ("Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe",
             "Gravesham", "Maidstone", "Medway", "Sevenoaks", "Swale", "Thanet",
             "Tonbridge and Malling", "Tunbridge Wells")
CATEGORIES = ("intimate-partner",) * 5 + ("suicide",) * 3 + ("familial",) * 2 + \
    ("same-household",)
BANDS = ("16-19", "20-24", "25-34", "35-44", "45-54", "55-64", "65+")
NAMES = ("Ada", "Bea", "Cal", "Dot", "Eve", "Fay", "Gus", "Hen", "Ida", "Jo", "Kit", "Lu")


def day(rng: random.Random, start: str, lo: int, hi: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(start) + dt.timedelta(days=rng.randint(lo, hi))).isoformat()


def spec(rng: random.Random, n: int) -> Spec:
    year = 2011 + n * 15 // 650
    death = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    notification = day(rng, death, 5, 40)
    decision = day(rng, notification, 10, 70)
    dates: dict[str, object] = {"death": death, "notification": notification,
                                "decision": decision,
                                "home_office_notified": day(rng, decision, 3, 40),
                                "chair_appointed": day(rng, decision, 10, 50)}
    dates["panel_meetings"] = [day(rng, decision, 60, 90), day(rng, decision, 150, 200)]
    submission = day(rng, decision, 150, 500)
    if submission < "2025-10-01":
        dates["submission"] = submission
        qa = day(rng, submission, 60, 200)
        if qa < "2025-10-01":
            dates["qa_approval"] = qa
            published = day(rng, qa, 30, 200)
            if published < "2025-10-01":
                dates["family_informed"] = day(rng, qa, 10, 29)
                dates["publication"] = published
    recs = []
    for _ in range(rng.randint(2, 6)):
        recs.append(f"**{rng.choice(AGENCIES)}** {rng.choice(ASKS)} {rng.choice(WHERE)}.")
    actions = []
    for i in range(1, len(recs) + 1):
        for _ in range(rng.randint(1, 2)):
            target = day(rng, submission, 90, 700)[:7]
            status = rng.choice(("complete", "complete", "in-progress", "not-started"))
            actions.append(Action(i, "Put the recommendation into practice and report on it.",
                                  rng.choice(AGENCIES), target, status,
                                  target if status == "complete" else None))
    victim = f"{rng.choice(NAMES)}{n}"
    return Spec(id=f"bench-{n:04d}", victim=victim, district=rng.choice(DISTRICTS),
                category=rng.choice(CATEGORIES),
                people=[Person("victim", victim, rng.choice(BANDS),
                               rng.choice(("female", "female", "female", "male")), "Victim"),
                        Person("perpetrator", f"P{n}", rng.choice(BANDS), "male",
                               f"Partner of {victim}")],
                dates=dates, recommendations=recs, actions=actions,
                lessons=[("Learning", "Agencies should use professional curiosity and ask "
                                      "about coercive control and MARAC referral.")],
                report_date=submission)


CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from pathlib import Path
from pipeline.register.build import build_register
imported = time.perf_counter() - start
result = build_register([Path(sys.argv[1])], Path(sys.argv[2]))
steps = {"start Python, import": imported, **result.timings}
# The workers (the PDF, the charts) are children, waited for: their peak is counted too.
peaks = [resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF,
                                                        resource.RUSAGE_CHILDREN)]
print(json.dumps([peaks, steps]), file=sys.stderr)
"""


def run(folder: Path, out: Path, label: str) -> None:
    """One register build in a fresh child: seconds, peak resident memory, the steps."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(out)], check=True,
                          cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    seconds = time.perf_counter() - start
    (peak, workers), steps = json.loads(done.stderr.strip().splitlines()[-1])
    detail = ", ".join(f"{name} {value:.2f}" for name, value in steps.items() if value > 0.05)
    # Both at their peaks at once is the most the build can have held.
    print(f"  {label:<28} {seconds:6.2f} s, peak {peak / 1024:4.0f} MB, workers "
          f"{workers / 1024:4.0f} MB  ({detail})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=650)
    args = parser.parse_args()
    rng = random.Random(650)
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "reviews", Path(tmp) / "build"
        specs = [spec(rng, n) for n in range(args.reviews)]
        for s in specs:
            write_review(folder / s.id, s)
        print(f"Register of {args.reviews} generated reviews "
              f"({sum(len(s.recommendations) for s in specs)} recommendations, "
              f"{sum(len(s.actions) for s in specs)} actions):")
        run(folder, out, "from nothing:")
        plan = folder / specs[300].id / "action-plan.yaml"
        plan.write_text(plan.read_text().replace("status: not-started", "status: in-progress")
                        .replace("status: complete", "status: in-progress"))
        run(folder, out, "one action plan changed:")
        report = folder / specs[400].id / "report.md"
        head, tail = report.read_text().rsplit(" should ", 1)  # the last recommendation
        report.write_text(f"{head} must now {tail}")
        run(folder, out, "one recommendation changed:")
        run(folder, out, "nothing changed:")
    return 0


if __name__ == "__main__":
    sys.exit(main())
