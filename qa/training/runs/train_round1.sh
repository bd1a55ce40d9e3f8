#!/bin/bash
# Three reader variants trained side by side on one GPU (see qa/reader/MODEL_CARD.md).
set -u
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
W=/tmp/work
python3 -m qa.training.gpu_pack unpack .device/pack $W >/dev/null || exit 1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch,transformers;print(torch.__version__, transformers.__version__)"
python3 -c "
import json; from pathlib import Path; from qa.offline_model import ensure_offline_model
i=json.loads(Path('$W/base.json').read_text())
print(ensure_offline_model(Path('$W/cache'), progress=False, source=Path('$W/base.e5'), source_sha256=i['source_sha256']))" || exit 1
COMMON="--data $W/data --bitext $W/bitext --base-pack $W --epochs 3 --minutes 5.3 --batch-size 32 --lr 1e-4 --max-eval 300 --seed 21 --threads 4 --save-every 0 --cap tydiqa_en_train=all --cap qed_en_train=all"
python3 -m qa.training.train_reader $COMMON --out $W/A --distractor-negatives 0.15 --cross-lingual 0.28 > $W/A.log 2>&1 &
python3 -m qa.training.train_reader $COMMON --out $W/B --distractor-negatives 0 --cross-lingual 0.28 > $W/B.log 2>&1 &
python3 -m qa.training.train_reader $COMMON --out $W/C --distractor-negatives 0.15 --cross-lingual 0 > $W/C.log 2>&1 &
sleep 60; nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader
wait
for v in A B C; do grep -v Warning $W/$v.log | grep -E "step (10|150)|windows \{|done|took" ; cp $W/$v/metrics.json $OUT/metrics_$v.json; done
tail -5 $W/A.log
split -b 15M -d $W/A/model.safetensors $OUT/A_model.part
cp $W/A/reader_config.json $OUT/A_reader_config.json
ls -la $OUT
