"""CreateAuthChallenge: a fresh six-digit code for each round.

A real function would email it (SES); this one writes it to codes/USERNAME beside
this script, where you (or a test) read it.
"""
import json
import pathlib
import secrets
import sys

event = json.load(sys.stdin)
code = f"{secrets.randbelow(10**6):06d}"
codes = pathlib.Path(__file__).with_name("codes")
codes.mkdir(exist_ok=True)
(codes / event["userName"]).write_text(code)
email = event["request"]["userAttributes"].get("email", "")
event["response"] = {
    "publicChallengeParameters": {"email": email[:1] + "***@" + email.split("@")[-1]},
    "privateChallengeParameters": {"code": code},
    "challengeMetadata": "EMAIL_CODE",
}
print(json.dumps(event))
