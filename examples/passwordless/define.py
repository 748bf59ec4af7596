"""DefineAuthChallenge: one emailed code; three wrong answers end the sign-in."""
import json
import sys

event = json.load(sys.stdin)
rounds = event["request"]["session"]
response = event["response"]
if rounds and rounds[-1]["challengeName"] == "CUSTOM_CHALLENGE" and rounds[-1]["challengeResult"]:
    response["issueTokens"] = True
elif len(rounds) >= 3:
    response["failAuthentication"] = True
else:
    response["challengeName"] = "CUSTOM_CHALLENGE"
print(json.dumps(event))
