#!/bin/bash
# Round 2: three reader variants side by side on one GPU; the best by validation comes back.
set -u
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
W=/tmp/work
python3 -m qa.training.gpu_pack unpack .device/pack $W >/dev/null || exit 1
python3 -c "
import json; from pathlib import Path; from qa.offline_model import ensure_offline_model
i=json.loads(Path('$W/base.json').read_text())
print(ensure_offline_model(Path('$W/cache'), progress=False, source=Path('$W/base.e5'), source_sha256=i['source_sha256']))" || exit 1
COMMON="--data $W/data --bitext $W/bitext --base-pack $W --batch-size 32 --lr 1e-4 --max-eval 300 --seed 21 --threads 4 --save-every 0 --cap tydiqa_en_train=all --cap qed_en_train=all --cross-lingual 0.28"
python3 -m qa.training.train_reader $COMMON --epochs 3 --minutes 5.5 --out $W/A2 --distractor-negatives 0.15 > $W/A2.log 2>&1 &
python3 -m qa.training.train_reader $COMMON --epochs 3 --minutes 5.5 --out $W/B2 --distractor-negatives 0 > $W/B2.log 2>&1 &
python3 -m qa.training.train_reader $COMMON --epochs 5 --minutes 6.6 --out $W/D2 --distractor-negatives 0.15 > $W/D2.log 2>&1 &
wait
for v in A2 B2 D2; do echo "== $v"; grep -v Warning $W/$v.log | grep -E "planning|windows \{|done|took|Error|error" ; cp $W/$v/metrics.json $OUT/metrics_$v.json; done
python3 - <<'PY' > $W/best
import json
def score(v):
    m = json.load(open(f"/tmp/work/{v}/metrics.json"))["valid"]
    return (m["tydiqa_id_valid"]["forced_f1"] + m["idkmrc_valid"]["thresholded_f1"] + m["facqa_valid"]["forced_f1"]
            + m["qed_en_valid"]["forced_f1"] + m["tydiqa_id_valid_en_question_wordmt"]["forced_f1"]) / 5
s = {v: score(v) for v in ("A2", "D2")}
import sys; print(s, file=sys.stderr)
print(max(s, key=s.get))
PY
BEST=$(cat $W/best); echo "best: $BEST"
split -b 15M -d $W/$BEST/model.safetensors $OUT/${BEST}_model.part
cp $W/$BEST/reader_config.json $OUT/${BEST}_reader_config.json
ls -la $OUT
