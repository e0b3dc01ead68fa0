#!/usr/bin/env bash
# Regenerates samples/review_demo.ogg from samples/review_demo.txt with espeak-ng and sox.
# Stereo, one voice per channel (left = manager, en-us male; right = employee, en-gb-x-rp+f3 female),
# as a two-microphone recording would be. Needs: espeak-ng sox (Debian packages).
# (espeak-ng 1.51 silently ignores the "+f3" variant on "en-gb", so the RP voice name is used: that one is female.)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
i=0; parts=()
while IFS='|' read -r who line; do
  [ -z "$who" ] && continue
  voice=en-us; [ "$who" = employee ] && voice=en-gb-x-rp+f3
  espeak-ng -v "$voice" -s 165 -w "$tmp/raw$i.wav" "$line"
  sox "$tmp/raw$i.wav" -r 16000 -c 1 "$tmp/mono$i.wav"
  # the speaker's own channel gets the voice, the other one a faint bleed (-26 dB), like two desk mics
  if [ "$who" = manager ]; then
    sox -M "$tmp/mono$i.wav" "|sox $tmp/mono$i.wav -p vol 0.05" "$tmp/st$i.wav"
  else
    sox -M "|sox $tmp/mono$i.wav -p vol 0.05" "$tmp/mono$i.wav" "$tmp/st$i.wav"
  fi
  sox -n -r 16000 -c 2 "$tmp/gap$i.wav" trim 0 0.6
  parts+=("$tmp/st$i.wav" "$tmp/gap$i.wav")
  i=$((i+1))
done < samples/review_demo.txt
sox "${parts[@]}" "$tmp/all.wav"
sox "$tmp/all.wav" -C 5 samples/review_demo.ogg
soxi samples/review_demo.ogg
