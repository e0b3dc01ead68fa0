#!/usr/bin/env bash
# Review Copilot over HTTP with curl, from an empty server to a signed, exported review.
#
# Start the server first (same COPILOT_HOME as this shell):   copilot serve --port 8000
# then run:   API=http://127.0.0.1:8000 bash docs/api_examples.sh
#
# Every step is a plain curl call you can copy. tests/api/test_api_examples.py runs
# this very file against a live `copilot serve`, so the examples cannot go stale.
set -euo pipefail

API=${API:-http://127.0.0.1:8000}
COPILOT=${COPILOT:-copilot}
AUDIO=${AUDIO:-samples/review_demo.ogg}
OUT=${OUT:-.}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-change-me-admin-1}
MANAGER_PASSWORD=${MANAGER_PASSWORD:-change-me-manager-1}
EMPLOYEE_PASSWORD=${EMPLOYEE_PASSWORD:-change-me-employee-1}
JSON='Content-Type: application/json'

# read one field of the JSON on stdin: json id, json draft.summary.0.text
json() { python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[int(k)] if isinstance(d,list) else d[k]
print(d if isinstance(d,str) else json.dumps(d))' "$1"; }
login() { curl -sf -X POST "$API/auth/login" -H "$JSON" -d "{\"email\":\"$1\",\"password\":\"$2\"}" | json access_token; }

echo "== 1. the first admin is created from the server's shell"
$COPILOT users add --name "Ada Admin" --email admin@example.com --role admin
echo "$ADMIN_PASSWORD" | $COPILOT set-password admin@example.com --password-stdin
ADMIN=$(login admin@example.com "$ADMIN_PASSWORD")

echo "== 2. the admin creates a manager and an employee who reports to them"
MANAGER_ID=$(curl -sf -X POST "$API/users" -H "Authorization: Bearer $ADMIN" -H "$JSON" \
  -d "{\"name\":\"Sam Manager\",\"email\":\"sam@example.com\",\"role\":\"manager\",\"password\":\"$MANAGER_PASSWORD\"}" \
  | json id)
EMPLOYEE_ID=$(curl -sf -X POST "$API/users" -H "Authorization: Bearer $ADMIN" -H "$JSON" \
  -d "{\"name\":\"Priya Employee\",\"email\":\"priya@example.com\",\"role\":\"employee\",\"manager_id\":\"$MANAGER_ID\",\"password\":\"$EMPLOYEE_PASSWORD\"}" \
  | json id)
MANAGER=$(login sam@example.com "$MANAGER_PASSWORD")
EMPLOYEE=$(login priya@example.com "$EMPLOYEE_PASSWORD")

echo "== 3. the manager uploads the meeting recording; a background job transcribes and drafts"
JOB=$(curl -sf -X POST "$API/recordings?employee_id=$EMPLOYEE_ID&meeting_date=2026-11-20&language=en" \
  -H "Authorization: Bearer $MANAGER" -H "Content-Type: application/octet-stream" --data-binary @"$AUDIO" | json id)
while true; do
  STATE=$(curl -sf "$API/jobs/$JOB" -H "Authorization: Bearer $MANAGER" | json state)
  [ "$STATE" = done ] && break
  [ "$STATE" = failed ] && { curl -s "$API/jobs/$JOB" -H "Authorization: Bearer $MANAGER"; exit 1; }
  sleep 2
done
REVIEW=$(curl -sf "$API/jobs/$JOB" -H "Authorization: Bearer $MANAGER" | json result.review_id)
echo "draft ready: review $REVIEW"

echo "== 4. the manager sends the draft to the employee"
curl -sf -X POST "$API/reviews/$REVIEW/send" -H "Authorization: Bearer $MANAGER" | json state

echo "== 5. the employee edits: remove items still flagged for missing evidence (If-Match: the version read)"
curl -sf -D "$OUT/headers.txt" "$API/reviews/$REVIEW" -H "Authorization: Bearer $EMPLOYEE" -o "$OUT/review.json"
ETAG=$(grep -i '^etag:' "$OUT/headers.txt" | cut -d' ' -f2 | tr -d '\r')
python3 - "$OUT/review.json" > "$OUT/edit.json" <<'PY'
import json, sys
draft = json.load(open(sys.argv[1]))["draft"]
for key, items in draft.items():
    if isinstance(items, list) and items and isinstance(items[0], dict) and "evidence" in items[0]:
        draft[key] = [i for i in items if "needs_evidence" not in i.get("flags", [])]
draft["summary"].append({"text": "Reviewed and edited by the employee.", "evidence": [], "flags": []})
print(json.dumps({"draft": draft}))
PY
curl -sf -X PUT "$API/reviews/$REVIEW" -H "Authorization: Bearer $EMPLOYEE" -H "$JSON" -H "If-Match: $ETAG" \
  --data @"$OUT/edit.json" | json version

echo "== 6. the employee comments on the review"
curl -sf -X POST "$API/reviews/$REVIEW/comments" -H "Authorization: Bearer $EMPLOYEE" -H "$JSON" \
  -d '{"field_path":"review","body":"Looks right to me."}' | json id

echo "== 7. both sign the same version, affirming the intent statement the server gives them"
for TOKEN in "$MANAGER" "$EMPLOYEE"; do
  curl -sf "$API/reviews/$REVIEW/intent" -H "Authorization: Bearer $TOKEN" > "$OUT/intent.json"
  curl -sf -X POST "$API/reviews/$REVIEW/sign" -H "Authorization: Bearer $TOKEN" -H "$JSON" \
    --data @"$OUT/intent.json" | json record.signer_role
done
curl -sf "$API/reviews/$REVIEW" -H "Authorization: Bearer $EMPLOYEE" | json state

echo "== 8. export the archived review and verify the JSON offline"
curl -sf "$API/reviews/$REVIEW/export?format=pdf" -H "Authorization: Bearer $EMPLOYEE" -o "$OUT/review.pdf"
curl -sf "$API/reviews/$REVIEW/export?format=json" -H "Authorization: Bearer $EMPLOYEE" -o "$OUT/review.json"
$COPILOT verify "$OUT/review.json"
echo "done: $OUT/review.pdf and $OUT/review.json"
