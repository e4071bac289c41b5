<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EvalModels</name>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Next-token acc.</source>
        <translation>下一词元准确率</translation>
    </message>
    <message>
        <source>Multiple choice</source>
        <translation>多项选择</translation>
    </message>
    <message>
        <source>Multiple choice (norm.)</source>
        <translation>多项选择（归一化）</translation>
    </message>
    <message>
        <source>Exact match</source>
        <translation>精确匹配</translation>
    </message>
    <message>
        <source>Token F1</source>
        <translation>词元 F1</translation>
    </message>
    <message>
        <source>BLEU</source>
        <translation>BLEU</translation>
    </message>
    <message>
        <source>chrF</source>
        <translation>chrF</translation>
    </message>
    <message>
        <source>ROUGE-1</source>
        <translation>ROUGE-1</translation>
    </message>
    <message>
        <source>ROUGE-2</source>
        <translation>ROUGE-2</translation>
    </message>
    <message>
        <source>ROUGE-L</source>
        <translation>ROUGE-L</translation>
    </message>
    <message>
        <source>First token (ms)</source>
        <translation>首词元延迟（ms）</translation>
    </message>
    <message>
        <source>ms / token</source>
        <translation>ms / 词元</translation>
    </message>
    <message>
        <source>Tokens / s</source>
        <translation>词元 / 秒</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>KLD mean</source>
        <translation>KLD 均值</translation>
    </message>
    <message>
        <source>Same top-1</source>
        <translation>Top-1 一致率</translation>
    </message>
    <message>
        <source>Accuracy drop</source>
        <translation>准确率下降</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Pass when the accuracy drop against the baseline (%1) is below %2.</source>
        <translation>相对基线（%1）的准确率下降低于 %2 时通过。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Pass rule</source>
        <translation>通过规则</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>KLD median</source>
        <translation>KLD 中位数</translation>
    </message>
    <message>
        <source>KLD p99</source>
        <translation>KLD p99</translation>
    </message>
    <message>
        <source>KLD max</source>
        <translation>KLD 最大值</translation>
    </message>
    <message>
        <source>Δp mean</source>
        <translation>Δp 均值</translation>
    </message>
    <message>
        <source>RMS Δp</source>
        <translation>RMS Δp</translation>
    </message>
    <message>
        <source>PPL ratio</source>
        <translation>PPL 比值</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>量化方案</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>Accuracy drop &lt; limit</source>
        <translation>准确率下降 &lt; 阈值</translation>
    </message>
</context>
<context>
    <name>JobErrorHint</name>
    <message>
        <source>The device ran out of memory: lower train.batch_size (raise train.grad_accum to keep the effective batch), lower train.seq_len, use train.dtype bfloat16 on a GPU, or use LoRA instead of full fine-tuning.</source>
        <translation>设备内存不足：请减小 train.batch_size（同时增大 train.grad_accum 以保持有效批大小），减小 train.seq_len，在 GPU 上将 train.dtype 设为 bfloat16，或改用 LoRA 代替全量微调。</translation>
    </message>
    <message>
        <source>Teacher and student tokenizers differ: pick a teacher from the student&apos;s family (run `distillery-cli preflight TEACHER STUDENT`), or distil on teacher-generated text (sequence-level KD) instead of logits.</source>
        <translation>教师模型与学生模型的分词器不同：请选择与学生模型同系列的教师模型（运行 `distillery-cli preflight TEACHER STUDENT`），或改用教师模型生成的文本进行蒸馏（序列级 KD），而非 logits。</translation>
    </message>
    <message>
        <source>The loss became NaN/Inf: lower train.lr (e.g. by 10×), keep train.max_grad_norm at 1.0, add train.warmup_steps, or use float32 instead of bfloat16.</source>
        <translation>损失变为 NaN/Inf：请降低 train.lr（例如降为 1/10），保持 train.max_grad_norm 为 1.0，增加 train.warmup_steps，或用 float32 代替 bfloat16。</translation>
    </message>
    <message>
        <source>A file or folder named in the job is missing: check the path in the error (data.train, data.validation, student, teacher); relative paths in a job file resolve against the file&apos;s own folder.</source>
        <translation>任务中指定的文件或文件夹不存在：请检查错误信息中的路径（data.train、data.validation、student、teacher）；任务文件中的相对路径相对于该文件所在的文件夹解析。</translation>
    </message>
    <message>
        <source>A job key has a value out of range: the error names the key; fix it in the form (the README&apos;s Job JSON section lists every key and its range).</source>
        <translation>某个任务键的值超出范围：错误信息中给出了键名；请在表单中修正（README 的 Job JSON 一节列出了所有键及其取值范围）。</translation>
    </message>
</context>
<context>
    <name>JobPresets</name>
    <message>
        <source>LoRA: r 16, α 32, dropout 0.1</source>
        <translation>LoRA：r 16，α 32，dropout 0.1</translation>
    </message>
    <message>
        <source>Full fine-tuning: lr 3e-5</source>
        <translation>全量微调：lr 3e-5</translation>
    </message>
    <message>
        <source>Progressive KD: τ 3.0 −0.8/stage, α 0.5 +0.15/stage, 3 stages</source>
        <translation>渐进式 KD：τ 3.0，每阶段 −0.8；α 0.5，每阶段 +0.15；共 3 个阶段</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Teacher and student checkpoints registered in this workspace.</source>
        <translation>本工作区登记的教师模型和学生模型检查点。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Datasets and the cleaned, split and generated sets derived from them.</source>
        <translation>数据集，以及由其清洗、划分和生成的派生数据集。</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Distillation, LoRA, fine-tuning, quantization and evaluation jobs.</source>
        <translation>蒸馏、LoRA、微调、量化和评估任务。</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Training and validation loss curves of the workspace&apos;s runs.</source>
        <translation>工作区中各次运行的训练与验证损失曲线。</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Fidelity of quantized models against their float originals.</source>
        <translation>量化模型相对原始浮点模型的保真度。</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Automatic metrics of each model, with per-sample outputs.</source>
        <translation>各模型的自动评估指标及逐样本输出。</translation>
    </message>
    <message>
        <source>Human rating</source>
        <translation>人工评估</translation>
    </message>
    <message>
        <source>Rubric and blind pairwise rating studies and their agreement.</source>
        <translation>量表评分与盲评成对比较研究及评分一致性。</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Chosen runs side by side: curves, fidelity, metrics and human scores.</source>
        <translation>并排对比所选运行：曲线、保真度、指标和人工评分。</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>Every change to this workspace in a tamper-evident log, and where each model and dataset came from.</source>
        <translation>以防篡改日志记录此工作区的每一处更改，以及每个模型和数据集的来源。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Adds a row to the table above.</source>
        <translation>在上方表格中添加一行。</translation>
    </message>
    <message>
        <source>Removes the selected row of the table above.</source>
        <translation>删除上方表格中选中的行。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
</context>
<context>
    <name>SliceModels</name>
    <message>
        <source>(overall)</source>
        <translation>（总体）</translation>
    </message>
</context>
<context>
    <name>StoreTable</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Dtype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>distillery::ui::AbComparisonView</name>
    <message>
        <source>&amp;Lower is better</source>
        <translation>越低越好(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Is B better?</source>
        <translation>B 是否更好(&amp;I)？</translation>
    </message>
    <message>
        <source>Model A, the reference of the comparison.</source>
        <translation>模型 A，比较的参照对象。</translation>
    </message>
    <message>
        <source>Model B: the comparison says how likely B beats A.</source>
        <translation>模型 B：比较结果给出 B 胜过 A 的概率。</translation>
    </message>
    <message>
        <source>The per-sample score compared: B wins a sample when its score is better, ties are left out of the win rate.</source>
        <translation>用于比较的逐样本分数：B 在某样本上分数更好即为胜出，平局不计入胜率。</translation>
    </message>
    <message>
        <source>Check for scores where lower wins (perplexity, latency).</source>
        <translation>勾选此项表示分数越低越好（困惑度、延迟）。</translation>
    </message>
    <message>
        <source>Computes P(B beats A) from a Beta(1, 1) prior, the 95 % credible interval, the exact sign test and a bootstrap interval.</source>
        <translation>基于 Beta(1, 1) 先验计算 P(B 胜过 A)、95 % 可信区间、精确符号检验和自助法（bootstrap）区间。</translation>
    </message>
    <message>
        <source>Model &amp;A:</source>
        <translation>模型 A(&amp;A)：</translation>
    </message>
    <message>
        <source>Model &amp;B:</source>
        <translation>模型 B(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Score:</source>
        <translation>分数(&amp;S)：</translation>
    </message>
    <message>
        <source>B wins %1, A wins %2, ties %3 · P(B better) %4 · credible interval %5–%6 · sign test p %7 · bootstrap interval %8–%9</source>
        <translation>B 胜 %1，A 胜 %2，平局 %3 · P(B 更好) %4 · 可信区间 %5–%6 · 符号检验 p %7 · 自助法区间 %8–%9</translation>
    </message>
</context>
<context>
    <name>distillery::ui::AboutDialog</name>
    <message>
        <source>About Distillery</source>
        <translation>关于 Distillery</translation>
    </message>
    <message>
        <source>%1: %2 (%3 GiB)</source>
        <translation>%1：%2（%3 GiB）</translation>
    </message>
    <message>
        <source>Distillery</source>
        <translation>Distillery</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>LibTorch</source>
        <translation>LibTorch</translation>
    </message>
    <message>
        <source>BLAS</source>
        <translation>BLAS</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message numerus="yes">
        <source>available, %n device(s)</source>
        <translation>
            <numerusform>可用，%n 个设备</numerusform>
        </translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>none detected</source>
        <translation>未检测到</translation>
    </message>
    <message>
        <source>Compute threads</source>
        <translation>计算线程</translation>
    </message>
    <message>
        <source>%1 of %2 usable cores</source>
        <translation>%1 / %2 个可用核心</translation>
    </message>
    <message>
        <source>Distil, fine-tune, quantize and evaluate LLMs on your own GPUs.</source>
        <translation>在自己的 GPU 上蒸馏、微调、量化和评估大语言模型。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::AdvancedTraining</name>
    <message>
        <source>Advanced: optimi&amp;zer and stopping</source>
        <translation>高级：优化器与停止(&amp;Z)</translation>
    </message>
    <message>
        <source>Optimizer, clipping and stopping settings most runs leave at their defaults.</source>
        <translation>优化器、梯度裁剪和停止设置，大多数运行保持默认值即可。</translation>
    </message>
    <message>
        <source>Weig&amp;ht decay:</source>
        <translation>权重衰减(&amp;H)：</translation>
    </message>
    <message>
        <source>AdamW decoupled weight decay (not on norms and biases), ≥ 0; typical 0–0.1.</source>
        <translation>AdamW 解耦权重衰减（不作用于归一化层和偏置），≥ 0；通常为 0–0.1。</translation>
    </message>
    <message>
        <source>Adam β&amp;1:</source>
        <translation>Adam β1(&amp;1)：</translation>
    </message>
    <message>
        <source>AdamW first-moment decay, in [0, 1); typical 0.9.</source>
        <translation>AdamW 一阶矩衰减率，取值范围 [0, 1)；通常为 0.9。</translation>
    </message>
    <message>
        <source>Adam β&amp;2:</source>
        <translation>Adam β2(&amp;2)：</translation>
    </message>
    <message>
        <source>AdamW second-moment decay, in [0, 1); typical 0.95–0.999.</source>
        <translation>AdamW 二阶矩衰减率，取值范围 [0, 1)；通常为 0.95–0.999。</translation>
    </message>
    <message>
        <source>Adam e&amp;psilon (ε):</source>
        <translation>Adam epsilon（ε）(&amp;P)：</translation>
    </message>
    <message>
        <source>AdamW denominator term, &gt; 0; typical 1e-8 (1e-6 for bf16).</source>
        <translation>AdamW 分母中的稳定项，&gt; 0；通常为 1e-8（bf16 时为 1e-6）。</translation>
    </message>
    <message>
        <source>Max gradient &amp;norm:</source>
        <translation>最大梯度范数(&amp;N)：</translation>
    </message>
    <message>
        <source>Clips the global gradient norm to this (0: off); typical 0.5–1.</source>
        <translation>将全局梯度范数裁剪到此值（0：关闭）；通常为 0.5–1。</translation>
    </message>
    <message>
        <source>Early-stop th&amp;reshold:</source>
        <translation>早停阈值(&amp;R)：</translation>
    </message>
    <message>
        <source>Early stopping: an evaluation counts as worse when validation loss &gt; best·(1 + this), ≥ 0; typical 0–0.1. Needs a validation set.</source>
        <translation>早停：当验证损失 &gt; 最佳值·(1 + 此值) 时，该次评估视为变差，≥ 0；通常为 0–0.1。需要验证集。</translation>
    </message>
    <message>
        <source>Pat&amp;ience:</source>
        <translation>耐心值(&amp;I)：</translation>
    </message>
    <message>
        <source>Early stopping: worse evaluations in a row before the run stops (0: off); typical 2–5.</source>
        <translation>早停：连续出现多少次变差的评估后停止运行（0：关闭）；通常为 2–5。</translation>
    </message>
    <message>
        <source>Ma&amp;x bad steps:</source>
        <translation>最大异常步数(&amp;X)：</translation>
    </message>
    <message>
        <source>Steps in a row with a NaN/Inf loss (skipped) before the job fails, ≥ 1; typical 3–10.</source>
        <translation>连续多少步出现 NaN/Inf 损失（这些步会被跳过）后任务失败，≥ 1；通常为 3–10。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::AuditPanel</name>
    <message>
        <source>&amp;Verify chain</source>
        <translation>校验链(&amp;V)</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Model &amp;folder…</source>
        <translation>模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Dataset file…</source>
        <translation>数据集文件(&amp;D)…</translation>
    </message>
    <message>
        <source>Show &amp;lineage</source>
        <translation>显示血缘(&amp;L)</translation>
    </message>
    <message>
        <source>Show only one action (e.g. job.finished) or a family (job.*).</source>
        <translation>仅显示某一种操作（如 job.finished）或某一类操作（job.*）。</translation>
    </message>
    <message>
        <source>Show only actions on one kind of object: workspace, model, dataset, job, study, settings.</source>
        <translation>仅显示针对某一类对象的操作：workspace、model、dataset、job、study、settings。</translation>
    </message>
    <message>
        <source>Show only actions by one operating-system user.</source>
        <translation>仅显示某一操作系统用户执行的操作。</translation>
    </message>
    <message>
        <source>path, id or parameter text</source>
        <translation>路径、ID 或参数文本</translation>
    </message>
    <message>
        <source>Show only rows whose action, object or parameters contain this text (any case).</source>
        <translation>仅显示操作、对象或参数中包含此文本的行（不区分大小写）。</translation>
    </message>
    <message>
        <source>e.g. 2026-01-31</source>
        <translation>例如 2026-01-31</translation>
    </message>
    <message>
        <source>Show only rows at or after this date or time (ISO-8601, local time unless it ends in Z).</source>
        <translation>仅显示此日期或时间及之后的行（ISO-8601；除非以 Z 结尾，否则为本地时间）。</translation>
    </message>
    <message>
        <source>e.g. 2026-02-01T12:00</source>
        <translation>例如 2026-02-01T12:00</translation>
    </message>
    <message>
        <source>Show only rows before this date or time (ISO-8601, local time unless it ends in Z).</source>
        <translation>仅显示此日期或时间之前的行（ISO-8601；除非以 Z 结尾，否则为本地时间）。</translation>
    </message>
    <message>
        <source>Recompute every row&apos;s SHA-256 and check the chain links and ids: reports the first modified, deleted or reordered row.</source>
        <translation>重新计算每一行的 SHA-256，并检查链接和 ID：报告第一处被修改、删除或重新排序的行。</translation>
    </message>
    <message>
        <source>Write the rows the filters show to a CSV or JSON Lines file, hashes included.</source>
        <translation>将筛选后显示的行写入 CSV 或 JSON Lines 文件，包括哈希值。</translation>
    </message>
    <message>
        <source>Read the log again (other processes may have appended to it).</source>
        <translation>重新读取日志（其他进程可能已向其追加内容）。</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Text:</source>
        <translation>文本(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;until</source>
        <translation>至(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <source>model or adapter folder, or dataset file</source>
        <translation>模型或适配器文件夹，或数据集文件</translation>
    </message>
    <message>
        <source>The artefact whose sources to trace: a trained model or adapter folder, a quantized model folder, or a dataset file.</source>
        <translation>要追溯来源的产物：训练得到的模型或适配器文件夹、量化模型文件夹，或数据集文件。</translation>
    </message>
    <message>
        <source>Choose a model, adapter or quantized model folder.</source>
        <translation>选择模型、适配器或量化模型文件夹。</translation>
    </message>
    <message>
        <source>Choose a dataset file.</source>
        <translation>选择数据集文件。</translation>
    </message>
    <message>
        <source>Trace the artefact back through provenance.json files and the datasets it was derived from.</source>
        <translation>通过 provenance.json 文件及其派生所用的数据集，追溯该产物的来源。</translation>
    </message>
    <message>
        <source>Artefact</source>
        <translation>产物</translation>
    </message>
    <message>
        <source>Made by</source>
        <translation>生成方</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>日志(&amp;L)</translation>
    </message>
    <message>
        <source>Li&amp;neage</source>
        <translation>血缘(&amp;N)</translation>
    </message>
    <message>
        <source>Export audit trail</source>
        <translation>导出审计记录</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON Lines (*.jsonl)</source>
        <translation>CSV (*.csv);;JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>Model or adapter folder</source>
        <translation>模型或适配器文件夹</translation>
    </message>
    <message>
        <source>Dataset file</source>
        <translation>数据集文件</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message numerus="yes">
        <source>Chain intact: %n row(s) verified.</source>
        <translation>
            <numerusform>链完整：已校验 %n 行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Broken at row %1 (%2): %3</source>
        <translation>在第 %1 行（%2）处断开：%3</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 行导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>所有操作</translation>
    </message>
    <message>
        <source>All objects</source>
        <translation>所有对象</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>所有用户</translation>
    </message>
    <message>
        <source>%1 is not a date or time; write it as 2026-01-31 or 2026-01-31T09:30.</source>
        <translation>%1 不是有效的日期或时间；请写成 2026-01-31 或 2026-01-31T09:30。</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) shown.</source>
        <translation>
            <numerusform>显示 %n 行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>正在校验…</translation>
    </message>
    <message>
        <source>%1: </source>
        <extracomment>lineage tree: &quot;train: dataset clean.jsonl&quot; (how the child used it, what it is, its name)</extracomment>
        <translation>%1: </translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>distillery::ui::AuditTableModel</name>
    <message>
        <source>hash %1
previous %2</source>
        <extracomment>tooltip of an audit row: its SHA-256 and the previous row&apos;s</extracomment>
        <translation>哈希 %1
前一哈希 %2</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
</context>
<context>
    <name>distillery::ui::BackgroundTask</name>
    <message>
        <source>unexpected failure in the worker thread</source>
        <translation>工作线程发生意外故障</translation>
    </message>
</context>
<context>
    <name>distillery::ui::CleanDialog</name>
    <message>
        <source>Clean a dataset</source>
        <translation>清洗数据集</translation>
    </message>
    <message>
        <source>&amp;Unicode form:</source>
        <translation>Unicode 规范化形式(&amp;U)：</translation>
    </message>
    <message>
        <source>Rewrite text fields to this normal form. NFC composes accents (safe, usual); NFKC also folds compatibility forms (full-width letters, ligatures); none keeps the text.</source>
        <translation>将文本字段改写为此规范化形式。NFC 合成重音符号（安全，常用）；NFKC 还会折叠兼容字符（全角字母、连字）；none 保持文本不变。</translation>
    </message>
    <message>
        <source>Keep &amp;control characters</source>
        <translation>保留控制字符(&amp;C)</translation>
    </message>
    <message>
        <source>Off (usual): control characters (C0, DEL, C1) are deleted from text fields, newlines and tabs kept. On: text is left as it is.</source>
        <translation>关闭（常用）：从文本字段中删除控制字符（C0、DEL、C1），保留换行符和制表符。开启：文本保持原样。</translation>
    </message>
    <message>
        <source>Keep &amp;empty rows</source>
        <translation>保留空行(&amp;E)</translation>
    </message>
    <message>
        <source>Off (usual): rows whose text is empty or whitespace only are dropped.</source>
        <translation>关闭（常用）：丢弃文本为空或仅含空白字符的行。</translation>
    </message>
    <message>
        <source>&amp;Length in:</source>
        <translation>长度单位(&amp;L)：</translation>
    </message>
    <message>
        <source>Whether the length limits count characters (code points) or tokens of the chosen tokenizer.</source>
        <translation>长度限制按字符（码位）计数，还是按所选分词器的词元计数。</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Mi&amp;nimum length:</source>
        <translation>最小长度(&amp;N)：</translation>
    </message>
    <message>
        <source>Drop rows shorter than this (0: no minimum). Typical: 1–20 characters, 4–16 tokens.</source>
        <translation>丢弃短于此值的行（0：无最小值）。通常为：1–20 个字符，4–16 个词元。</translation>
    </message>
    <message>
        <source>Ma&amp;ximum length:</source>
        <translation>最大长度(&amp;X)：</translation>
    </message>
    <message>
        <source>Drop rows longer than this (0: no maximum). Typical: the training sequence length in tokens (512–4096), or 2000–20000 characters.</source>
        <translation>丢弃长于此值的行（0：无最大值）。通常为：训练序列长度（以词元计，512–4096），或 2000–20000 个字符。</translation>
    </message>
    <message>
        <source>To&amp;kenizer:</source>
        <translation>分词器(&amp;K)：</translation>
    </message>
    <message>
        <source>The workspace model whose tokenizer counts tokens for the length limits in tokens.</source>
        <translation>工作区中的模型；以词元计的长度限制使用其分词器统计词元数。</translation>
    </message>
    <message>
        <source>&amp;Scripts:</source>
        <translation>文字系统(&amp;S)：</translation>
    </message>
    <message>
        <source>Keep rows whose letters are mostly in these scripts, comma-separated Unicode script names: latin, han, cyrillic, arabic... (cjk = han, hiragana, katakana, hangul). Empty: no script filter.</source>
        <translation>保留字母主要属于这些文字系统的行，以逗号分隔的 Unicode 文字系统名称：latin、han、cyrillic、arabic...（cjk = han、hiragana、katakana、hangul）。留空：不按文字系统筛选。</translation>
    </message>
    <message>
        <source>any script</source>
        <translation>任意文字系统</translation>
    </message>
    <message>
        <source>Minimum script s&amp;hare:</source>
        <translation>最低文字系统占比(&amp;H)：</translation>
    </message>
    <message>
        <source>Share of a row&apos;s letters that must be in the scripts above, 0–1. Typical 0.5–0.9.</source>
        <translation>一行中属于上述文字系统的字母须达到的占比，0–1。通常为 0.5–0.9。</translation>
    </message>
    <message>
        <source>Drop e&amp;xact duplicates</source>
        <translation>删除完全重复项(&amp;X)</translation>
    </message>
    <message>
        <source>Drop rows whose text (whitespace-normalised) repeats an earlier kept row. Usually on.</source>
        <translation>丢弃文本（空白规范化后）与之前已保留的行重复的行。通常开启。</translation>
    </message>
    <message>
        <source>Drop &amp;near duplicates</source>
        <translation>删除近似重复项(&amp;N)</translation>
    </message>
    <message>
        <source>Drop rows whose MinHash Jaccard similarity to an earlier kept row reaches the threshold (slower: 128 permutations per row).</source>
        <translation>丢弃与之前已保留的行的 MinHash Jaccard 相似度达到阈值的行（较慢：每行 128 次置换）。</translation>
    </message>
    <message>
        <source>Jaccard similarity of character 5-gram sets that makes a near duplicate, strictly between 0 and 1. Typical 0.8–0.95 (default 0.9).</source>
        <translation>判定为近似重复的字符 5-gram 集合 Jaccard 相似度，严格介于 0 和 1 之间。通常为 0.8–0.95（默认 0.9）。</translation>
    </message>
    <message>
        <source>Compare case-&amp;folded</source>
        <translation>忽略大小写比较(&amp;F)</translation>
    </message>
    <message>
        <source>Duplicates are compared ignoring letter case. Off by default.</source>
        <translation>比较重复项时忽略字母大小写。默认关闭。</translation>
    </message>
    <message>
        <source>Compared &amp;field:</source>
        <translation>比较字段(&amp;F)：</translation>
    </message>
    <message>
        <source>the row&apos;s text by its schema</source>
        <translation>按行格式取得的文本</translation>
    </message>
    <message>
        <source>The string field whose text is filtered and compared; empty: the row&apos;s text by its schema (prompt and answer, messages...).</source>
        <translation>对其文本进行筛选和比较的字符串字段；留空：按行格式取得的文本（提示词和回答、messages...）。</translation>
    </message>
    <message>
        <source>%1: %2 is below the minimum length %3</source>
        <translation>%1：%2 小于最小长度 %3</translation>
    </message>
    <message>
        <source>%1: length limits in tokens need a tokenizer; add a model to the workspace or count characters</source>
        <translation>%1：以词元计的长度限制需要分词器；请向工作区添加模型，或改为按字符计数</translation>
    </message>
</context>
<context>
    <name>distillery::ui::ComparePanel</name>
    <message>
        <source>Training runs whose loss curves are overlaid (solid: training loss, dashed: validation).</source>
        <translation>叠加显示其损失曲线的训练运行（实线：训练损失，虚线：验证损失）。</translation>
    </message>
    <message>
        <source>The evaluation job whose automatic scores and quantization fidelity are shown.</source>
        <translation>显示其自动评分和量化保真度的评估任务。</translation>
    </message>
    <message>
        <source>The rating study whose human scores are shown (model names stay hidden until it is revealed).</source>
        <translation>显示其人工评分的评估研究（揭晓之前模型名称保持隐藏）。</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>&amp;Runs:</source>
        <translation>运行(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Evaluation job:</source>
        <translation>评估任务(&amp;E)：</translation>
    </message>
    <message>
        <source>Rating &amp;study:</source>
        <translation>评估研究(&amp;S)：</translation>
    </message>
    <message>
        <source>Loss curves</source>
        <translation>损失曲线</translation>
    </message>
    <message>
        <source>Automatic scores</source>
        <translation>自动评分</translation>
    </message>
    <message>
        <source>Quantization fidelity</source>
        <translation>量化保真度</translation>
    </message>
    <message>
        <source>Human scores</source>
        <translation>人工评分</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Is B better? (per-sample scores of the evaluation job)</source>
        <translation>B 是否更好？（评估任务的逐样本分数）</translation>
    </message>
    <message>
        <source>Scores per slice</source>
        <translation>各切片的分数</translation>
    </message>
</context>
<context>
    <name>distillery::ui::CreateStudyDialog</name>
    <message>
        <source>&amp;JSONL file</source>
        <translation>JSONL 文件(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Evaluation job</source>
        <translation>评估任务(&amp;E)</translation>
    </message>
    <message>
        <source>Fi&amp;xed seed</source>
        <translation>固定种子(&amp;X)</translation>
    </message>
    <message>
        <source>Own item order for each rater</source>
        <translation>每位评估者使用各自的条目顺序</translation>
    </message>
    <message>
        <source>Rubric</source>
        <translation>量表评分</translation>
    </message>
    <message>
        <source>New rating study</source>
        <translation>新建评估研究</translation>
    </message>
    <message>
        <source>Shown in the study list. Avoid model names here: raters see it.</source>
        <translation>显示在研究列表中。请勿在此填写模型名称：评估者能看到它。</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Rubric: score each output</source>
        <translation>量表评分：为每个输出打分</translation>
    </message>
    <message>
        <source>Pairwise: blind A/B between two outputs</source>
        <translation>成对比较：两个输出之间的盲评 A/B</translation>
    </message>
    <message>
        <source>Rubric: each output scored per criterion. Pairwise: two models&apos; outputs side by side, sides shuffled, the rater picks the better one.</source>
        <translation>量表评分：按各评分标准为每个输出打分。成对比较：两个模型的输出并排显示，左右随机，由评估者选出更好的一个。</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>JSONL with one {&quot;prompt&quot;: ..., &quot;outputs&quot;: {&quot;model&quot;: &quot;text&quot;, ...}} per line.</source>
        <translation>JSONL 文件，每行一个 {&quot;prompt&quot;: ..., &quot;outputs&quot;: {&quot;model&quot;: &quot;text&quot;, ...}}。</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose the JSONL file of prompts and outputs.</source>
        <translation>选择包含提示词和输出的 JSONL 文件。</translation>
    </message>
    <message>
        <source>Items from a file of prompts with several models&apos; outputs.</source>
        <translation>条目来自包含提示词及多个模型输出的文件。</translation>
    </message>
    <message>
        <source>The outputs an evaluation job stored, one evaluation per model; keeps the link to the per-sample metrics for the correlation.</source>
        <translation>评估任务保存的输出，每个模型一次评估；保留与逐样本指标的关联，用于计算相关性。</translation>
    </message>
    <message>
        <source>#%1 %2 (%3)</source>
        <translation>#%1 %2（%3）</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Only these models, comma-separated (JSONL output keys or evaluation labels); empty: all.</source>
        <translation>仅限这些模型，以逗号分隔（JSONL 输出键或评估标签）；留空：全部。</translation>
    </message>
    <message>
        <source>&amp;Models:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Evaluation jobs: at most this many samples, a seeded random choice (0: all; typical 30–200 for one sitting).</source>
        <translation>评估任务：最多抽取这么多样本，按种子随机选取（0：全部；单次评估通常为 30–200）。</translation>
    </message>
    <message>
        <source>&amp;Samples:</source>
        <translation>样本数(&amp;S)：</translation>
    </message>
    <message>
        <source>Seed of the item order and the A/B sides (any whole number); the same seed gives the same study.</source>
        <translation>条目顺序和 A/B 左右位置的随机种子（任意整数）；相同的种子生成相同的研究。</translation>
    </message>
    <message>
        <source>Off: a random seed, stored with the study.</source>
        <translation>关闭：使用随机种子，并随研究一起保存。</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Each rater gets an own seeded order, so order effects average out.</source>
        <translation>每位评估者获得各自按种子生成的顺序，从而抵消顺序效应。</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>评分标准</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Criteria and weights (any non-negative numbers; divided by their sum). Default: relevance 0.4, accuracy 0.3, readability 0.3.</source>
        <translation>评分标准及权重（任意非负数；按其总和归一化）。默认：relevance 0.4，accuracy 0.3，readability 0.3。</translation>
    </message>
    <message>
        <source>&amp;Add criterion</source>
        <translation>添加评分标准(&amp;A)</translation>
    </message>
    <message>
        <source>A new row; name it (letters, digits, _ or -) and give it a weight.</source>
        <translation>新的一行；为其命名（字母、数字、_ 或 -）并设置权重。</translation>
    </message>
    <message>
        <source>&amp;Remove criterion</source>
        <translation>删除评分标准(&amp;R)</translation>
    </message>
    <message>
        <source>Removes the selected criterion.</source>
        <translation>删除选中的评分标准。</translation>
    </message>
    <message>
        <source>Lowest score (typical 0 or 1).</source>
        <translation>最低分（通常为 0 或 1）。</translation>
    </message>
    <message>
        <source>Highest score (typical 3 or 5); raters type the digits.</source>
        <translation>最高分（通常为 3 或 5）；评估者直接输入数字。</translation>
    </message>
    <message>
        <source>Scale from</source>
        <translation>分值范围从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>No evaluation job with stored outputs in this workspace.</source>
        <translation>此工作区中没有保存了输出的评估任务。</translation>
    </message>
    <message>
        <source>Prompts and outputs</source>
        <translation>提示词和输出</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl *.json);;All files (*)</source>
        <translation>JSON Lines 文件 (*.jsonl *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>give the study a name</source>
        <translation>请为研究命名</translation>
    </message>
    <message>
        <source>criterion %1</source>
        <translation>评分标准 %1</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>must be a number</source>
        <translation>必须是数字</translation>
    </message>
    <message>
        <source>rubric</source>
        <translation>量表评分</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>choose a JSONL file</source>
        <translation>请选择 JSONL 文件</translation>
    </message>
    <message>
        <source>job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>choose an evaluation job</source>
        <translation>请选择评估任务</translation>
    </message>
</context>
<context>
    <name>distillery::ui::CriterionScore</name>
    <message>
        <source>Score for %1 (%2–%3): type the digit, or click. Up/Down move between criteria, Left/Right step the score.</source>
        <translation>%1 的评分（%2–%3）：输入数字或点击。上/下方向键在评分标准间切换，左/右方向键调整分数。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::CurvePanel</name>
    <message>
        <source>&amp;Log y</source>
        <translation>对数 Y 轴(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Runs</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Jobs of this workspace; the checked ones are overlaid on the plot (Space toggles).</source>
        <translation>本工作区的任务；勾选的任务会叠加显示在图中（空格键切换）。</translation>
    </message>
    <message>
        <source>&amp;Metrics</source>
        <translation>指标(&amp;M)</translation>
    </message>
    <message>
        <source>Metrics the checked jobs logged (loss and its components, lr, grad_norm, val_loss, …); each checked one is a curve per job.</source>
        <translation>勾选的任务记录的指标（损失及其各分项、lr、grad_norm、val_loss 等）；每个勾选的指标在每个任务中绘制一条曲线。</translation>
    </message>
    <message>
        <source>&amp;Smoothing</source>
        <translation>平滑(&amp;S)</translation>
    </message>
    <message>
        <source>Exponential moving average weight w, as in TensorBoard (debiased): 0 draws the raw values, 0.6 is a usual choice, 0.9–0.99 for noisy losses.</source>
        <translation>指数移动平均权重 w，与 TensorBoard 相同（已去偏）：0 绘制原始值，常用 0.6，噪声较大的损失用 0.9–0.99。</translation>
    </message>
    <message>
        <source>Logarithmic y-axis, for losses that fall over orders of magnitude (values ≤ 0 are not drawn).</source>
        <translation>对数 Y 轴，适用于下降跨越多个数量级的损失（≤ 0 的值不绘制）。</translation>
    </message>
    <message>
        <source>&amp;X axis</source>
        <translation>X 轴(&amp;X)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Wall time</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <source>Optimizer step, seconds since the job started, or cumulative training tokens (the job&apos;s tokens metric, else tokens_per_s integrated over time).</source>
        <translation>优化器步数、任务开始以来的秒数，或累计训练词元数（取任务的 tokens 指标，否则按时间对 tokens_per_s 积分）。</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation>自适应(&amp;F)</translation>
    </message>
    <message>
        <source>Fit the axes to the curves and follow new points again (also: double-click the plot). Drag to pan, wheel to zoom.</source>
        <translation>使坐标轴适应曲线，并重新跟随新数据点（也可双击图表）。拖动可平移，滚轮可缩放。</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Save the plot as PNG or SVG, or the drawn series as CSV.</source>
        <translation>将图表保存为 PNG 或 SVG，或将绘制的序列保存为 CSV。</translation>
    </message>
    <message>
        <source>PNG image…</source>
        <translation>PNG 图像…</translation>
    </message>
    <message>
        <source>SVG drawing…</source>
        <translation>SVG 矢量图…</translation>
    </message>
    <message>
        <source>CSV table…</source>
        <translation>CSV 表格…</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Job %1: %2, %3</source>
        <translation>任务 %1：%2，%3</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Export curves</source>
        <translation>导出曲线</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Ra&amp;w</source>
        <translation>原始值(&amp;W)</translation>
    </message>
    <message>
        <source>Draw the raw values as a faint curve behind each smoothed one (same colour), so the smoothing hides no spike. Only while smoothing is above 0.</source>
        <translation>在每条平滑曲线后以浅色（相同颜色）绘制原始值曲线，使平滑不会掩盖尖峰。仅在平滑度大于 0 时有效。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::CurvePlot</name>
    <message>
        <source>Drag to pan, wheel to zoom, double-click to fit the curves again. Hover a curve for its values.</source>
        <translation>拖动可平移，滚轮可缩放，双击可重新适应曲线。将鼠标悬停在曲线上可查看数值。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Wall time (s)</source>
        <translation>耗时（秒）</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>%1 · %2
step %3 · %4 s · %5 tokens
value %6</source>
        <translation>%1 · %2
步数 %3 · %4 秒 · %5 个词元
数值 %6</translation>
    </message>
    <message>
        <source> (smoothed %1)</source>
        <translation>（平滑后 %1）</translation>
    </message>
    <message>
        <source>%1: %2 (right axis)</source>
        <translation>%1：%2（右轴）</translation>
    </message>
    <message>
        <source>%1 (raw)</source>
        <translation>%1（原始值）</translation>
    </message>
</context>
<context>
    <name>distillery::ui::DataActionDialog</name>
    <message>
        <source>Input: %1</source>
        <translation>输入：%1</translation>
    </message>
    <message>
        <source>Folder the splits are written to (train.jsonl, validation.jsonl, test.jsonl); proposed next to the input, never over an existing one.</source>
        <translation>写入各划分的文件夹（train.jsonl、validation.jsonl、test.jsonl）；默认建议放在输入旁边，绝不会覆盖已有的文件夹。</translation>
    </message>
    <message>
        <source>JSONL file to write; proposed next to the input, never over an existing file. The input is never modified.</source>
        <translation>要写入的 JSONL 文件；默认建议放在输入旁边，绝不会覆盖已有文件。输入文件永远不会被修改。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>输出文件</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>输出文件夹(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Output file:</source>
        <translation>输出文件(&amp;O)：</translation>
    </message>
    <message>
        <source>Input &amp;format:</source>
        <translation>输入格式(&amp;F)：</translation>
    </message>
    <message>
        <source>How the input is read; auto decides by the file&apos;s extension (.jsonl, .json, .csv, .tsv, .txt, a folder of text files). Usually auto.</source>
        <translation>如何读取输入；auto 根据文件扩展名决定（.jsonl、.json、.csv、.tsv、.txt、包含文本文件的文件夹）。通常为 auto。</translation>
    </message>
    <message>
        <source>&amp;Bad rows:</source>
        <translation>错误行(&amp;B)：</translation>
    </message>
    <message>
        <source>An unreadable row is skipped and counted (skip, usual) or stops the job with its line (fail).</source>
        <translation>无法读取的行会被跳过并计数（skip，常用），或使任务停止并报告其所在行（fail）。</translation>
    </message>
    <message>
        <source>&amp;Run as job</source>
        <translation>作为任务运行(&amp;R)</translation>
    </message>
    <message>
        <source>Queue the action on the workspace&apos;s job runner; it shows in the Jobs panel with its progress and log.</source>
        <translation>将此操作加入工作区任务运行器的队列；它会连同进度和日志显示在“任务”面板中。</translation>
    </message>
    <message>
        <source>output: choose where to write</source>
        <translation>输出：请选择写入位置</translation>
    </message>
    <message>
        <source>output: must differ from the input (the source is never modified)</source>
        <translation>输出：必须与输入不同（源文件永远不会被修改）</translation>
    </message>
    <message>
        <source>&amp;Threshold:</source>
        <translation>阈值(&amp;T)：</translation>
    </message>
    <message>
        <source>data_op.threshold: %1 is outside (0, 1); the Jaccard similarity that makes a near duplicate lies strictly between 0 and 1 (typical 0.8–0.95)</source>
        <translation>data_op.threshold：%1 不在 (0, 1) 范围内；判定为近似重复的 Jaccard 相似度严格介于 0 和 1 之间（通常为 0.8–0.95）</translation>
    </message>
</context>
<context>
    <name>distillery::ui::DataPanel</name>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Statistics</source>
        <translation>统计(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Drop a dataset file here to import it.</source>
        <translation>将数据集文件拖放到此处即可导入。</translation>
    </message>
    <message>
        <source>Register a dataset file (JSONL, JSON, CSV/TSV, text) in this workspace: rows, schema and bad rows are counted; the file is only read.</source>
        <translation>在本工作区中登记数据集文件（JSONL、JSON、CSV/TSV、文本）：统计行数、格式和错误行；文件只读不改。</translation>
    </message>
    <message>
        <source>Characters and tokens per row with a length histogram, as `distillery-cli data stats`.</source>
        <translation>每行的字符数和词元数及长度直方图，与 `distillery-cli data stats` 相同。</translation>
    </message>
    <message>
        <source>Model whose tokenizer counts tokens for the statistics; none counts characters only.</source>
        <translation>用其分词器为统计计算词元数的模型；选择“无”则只统计字符。</translation>
    </message>
    <message>
        <source>Equal-width bins of the token-length histogram. Typical: 10–50.</source>
        <translation>词元长度直方图的等宽分箱数。通常为 10–50。</translation>
    </message>
    <message>
        <source>The rows of the selected dataset, read as you scroll; the row header is the line.</source>
        <translation>所选数据集的各行，随滚动读取；行表头为行号。</translation>
    </message>
    <message>
        <source>&amp;Tokenizer:</source>
        <translation>分词器(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Bins:</source>
        <translation>分箱数(&amp;B)：</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>预览(&amp;V)</translation>
    </message>
    <message>
        <source>Stat&amp;istics</source>
        <translation>统计(&amp;I)</translation>
    </message>
    <message>
        <source>Import a dataset</source>
        <translation>导入数据集</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.ndjson *.json *.csv *.tsv *.txt *.md);;All files (*)</source>
        <translation>数据集 (*.jsonl *.ndjson *.json *.csv *.tsv *.txt *.md);;所有文件 (*)</translation>
    </message>
    <message>
        <source>none (characters only)</source>
        <translation>无（仅统计字符）</translation>
    </message>
    <message>
        <source>Import a dataset file, or select one to preview it.</source>
        <translation>导入数据集文件，或选择一个数据集进行预览。</translation>
    </message>
    <message>
        <source>Open or create a workspace to begin.</source>
        <translation>请打开或创建一个工作区。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>No statistics yet: press Statistics.</source>
        <translation>尚无统计：请点击“统计”。</translation>
    </message>
    <message>
        <source>%1 rows (%2 bad, %3 not fitting their schema), schema %4. Characters per row: mean %5, min %6, max %7.</source>
        <translation>%1 行（%2 行错误，%3 行不符合格式），格式 %4。每行字符数：平均 %5，最小 %6，最大 %7。</translation>
    </message>
    <message>
        <source>Tokens per row: mean %1, p50 %2, p90 %3, p99 %4, max %5.</source>
        <translation>每行词元数：平均 %1，p50 %2，p90 %3，p99 %4，最大 %5。</translation>
    </message>
    <message>
        <source>tokens per row</source>
        <translation>每行词元数</translation>
    </message>
    <message>
        <source>Choose a tokenizer for token counts and the length histogram.</source>
        <translation>请选择分词器以统计词元数和长度直方图。</translation>
    </message>
    <message>
        <source>Wait for the running action to finish, or cancel it.</source>
        <translation>请等待当前操作完成，或将其取消。</translation>
    </message>
    <message>
        <source>Select a dataset first.</source>
        <translation>请先选择数据集。</translation>
    </message>
    <message>
        <source>%1: the file is gone</source>
        <translation>%1：文件已不存在</translation>
    </message>
    <message>
        <source>Open or create a workspace first.</source>
        <translation>请先打开或创建工作区。</translation>
    </message>
    <message>
        <source>%1: no such file or folder</source>
        <translation>%1：文件或文件夹不存在</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Statistics of %1…</source>
        <translation>正在统计 %1…</translation>
    </message>
    <message>
        <source>%1 — all %2 rows, %3 bad rows skipped.</source>
        <translation>%1 — 共 %2 行，已跳过 %3 个错误行。</translation>
    </message>
    <message>
        <source>%1 — first %2 rows (%3 bad rows skipped); more load as you scroll.</source>
        <translation>%1 — 前 %2 行（已跳过 %3 个错误行）；滚动时加载更多。</translation>
    </message>
    <message>
        <source>C&amp;lean…</source>
        <translation>清洗(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Deduplicate…</source>
        <translation>去重(&amp;D)…</translation>
    </message>
    <message>
        <source>S&amp;plit…</source>
        <translation>划分(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Generate…</source>
        <translation>生成(&amp;G)…</translation>
    </message>
    <message>
        <source>Write a cleaned copy (Unicode form, control characters, length and script filters, exact or near duplicates), as `data clean`, run as a job.</source>
        <translation>写入清洗后的副本（Unicode 规范化形式、控制字符、长度和文字系统筛选、完全或近似重复项），与 `data clean` 相同，作为任务运行。</translation>
    </message>
    <message>
        <source>Write a copy without exact and near duplicates (MinHash), original order kept, as `data dedup`, run as a job.</source>
        <translation>写入去除了完全重复和近似重复项（MinHash）的副本，保持原有顺序，与 `data dedup` 相同，作为任务运行。</translation>
    </message>
    <message>
        <source>Split into train/validation/test with no near duplicates across splits, optionally stratified, as `data split`, run as a job.</source>
        <translation>划分为 train/validation/test，各划分之间不存在近似重复项，可选分层，与 `data split` 相同，作为任务运行。</translation>
    </message>
    <message>
        <source>A teacher model answers each row&apos;s prompt into a messages dataset, as `data generate`, run as a job (resumable).</source>
        <translation>由教师模型回答每一行的提示词，生成 messages 数据集，与 `data generate` 相同，作为任务运行（可续跑）。</translation>
    </message>
    <message>
        <source>Stop the running import or statistics, or cancel the action&apos;s job (Esc); nothing half-written is kept.</source>
        <translation>停止正在进行的导入或统计，或取消该操作的任务（Esc）；不会保留任何写了一半的内容。</translation>
    </message>
    <message>
        <source>Open a workspace first: the actions run as jobs of its queue.</source>
        <translation>请先打开工作区：这些操作将作为其队列中的任务运行。</translation>
    </message>
    <message>
        <source>the %1 dialog</source>
        <translation>“%1”对话框</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>清洗</translation>
    </message>
    <message>
        <source>Deduplicate</source>
        <translation>去重</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>%1 %2 — job #%3 %4</source>
        <translation>%1 %2 — 任务 #%3 %4</translation>
    </message>
    <message>
        <source>, %1 of %2</source>
        <translation>，%1 / %2</translation>
    </message>
    <message>
        <source>Also in the Jobs panel with its log.</source>
        <translation>也会连同日志显示在“任务”面板中。</translation>
    </message>
    <message>
        <source>%1 finished (job #%2): %3</source>
        <translation>%1 已完成（任务 #%2）：%3</translation>
    </message>
    <message>
        <source>%1 finished (job #%2); its output is not registered in this workspace.</source>
        <translation>%1 已完成（任务 #%2）；其输出未在本工作区中登记。</translation>
    </message>
    <message>
        <source>%1 cancelled (job #%2); the answers so far are kept in %3: generate into the same file to resume.</source>
        <translation>%1 已取消（任务 #%2）；目前已生成的回答保存在 %3 中：生成到同一文件即可续跑。</translation>
    </message>
    <message>
        <source>%1 cancelled (job #%2); nothing half-written was kept.</source>
        <translation>%1 已取消（任务 #%2）；未保留任何写了一半的内容。</translation>
    </message>
    <message>
        <source>job #%1 failed</source>
        <translation>任务 #%1 失败</translation>
    </message>
    <message>
        <source>%1 failed (job #%2).</source>
        <translation>%1 失败（任务 #%2）。</translation>
    </message>
    <message>
        <source>#%1 %2 (%3 rows)</source>
        <translation>#%1 %2（%3 行）</translation>
    </message>
</context>
<context>
    <name>distillery::ui::DatasetListModel</name>
    <message>
        <source>source</source>
        <translation>源数据</translation>
    </message>
    <message>
        <source>#%1 %2 (%3)</source>
        <extracomment>&quot;#3 raw.jsonl (dedup)&quot;: the parent dataset&apos;s id, name and the operation that made this one</extracomment>
        <translation>#%1 %2（%3）</translation>
    </message>
    <message>
        <source>derived</source>
        <translation>派生</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Derived from</source>
        <translation>派生自</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
</context>
<context>
    <name>distillery::ui::DedupDialog</name>
    <message>
        <source>Deduplicate a dataset</source>
        <translation>数据集去重</translation>
    </message>
    <message>
        <source>Compared &amp;field:</source>
        <translation>比较字段(&amp;F)：</translation>
    </message>
    <message>
        <source>the row&apos;s text by its schema</source>
        <translation>按行格式取得的文本</translation>
    </message>
    <message>
        <source>The string field duplicates are compared by; empty: the row&apos;s text by its schema (prompt and answer, messages...).</source>
        <translation>用于比较重复项的字符串字段；留空：按行格式取得的文本（提示词和回答、messages...）。</translation>
    </message>
    <message>
        <source>Jaccard similarity of character 5-gram sets that makes a near duplicate, strictly between 0 and 1. Typical 0.8–0.95 (default 0.9).</source>
        <translation>判定为近似重复的字符 5-gram 集合 Jaccard 相似度，严格介于 0 和 1 之间。通常为 0.8–0.95（默认 0.9）。</translation>
    </message>
    <message>
        <source>&amp;Permutations:</source>
        <translation>置换次数(&amp;P)：</translation>
    </message>
    <message>
        <source>MinHash permutations per row: more estimate the similarity better but cost time. Typical 64–256 (default 128).</source>
        <translation>每行的 MinHash 置换次数：越多则相似度估计越准确，但越耗时。通常为 64–256（默认 128）。</translation>
    </message>
    <message>
        <source>S&amp;hingle:</source>
        <translation>分片(shingle)长度(&amp;H)：</translation>
    </message>
    <message>
        <source>Characters per shingle (any script, CJK included). Typical 3–9 (default 5).</source>
        <translation>每个分片(shingle)的字符数（适用于任何文字系统，包括 CJK）。通常为 3–9（默认 5）。</translation>
    </message>
    <message>
        <source>MinHash s&amp;eed:</source>
        <translation>MinHash 随机种子(&amp;E)：</translation>
    </message>
    <message>
        <source>Seed of the MinHash permutations; the same seed gives the same result. Default 1.</source>
        <translation>MinHash 置换的随机种子；相同的随机种子得到相同的结果。默认 1。</translation>
    </message>
    <message>
        <source>Compare case-&amp;folded</source>
        <translation>忽略大小写比较(&amp;F)</translation>
    </message>
    <message>
        <source>Duplicates are compared ignoring letter case. Off by default.</source>
        <translation>比较重复项时忽略字母大小写。默认关闭。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::DistillSection</name>
    <message>
        <source>&amp;Loss:</source>
        <translation>损失(&amp;L)：</translation>
    </message>
    <message>
        <source>Divergence between teacher and student: forward_kl (Hinton), reverse_kl (MiniLLM) or jsd (generalised JSD with β).</source>
        <translation>教师模型与学生模型之间的散度：forward_kl（Hinton）、reverse_kl（MiniLLM）或 jsd（带 β 的广义 JSD）。</translation>
    </message>
    <message>
        <source>JSD &amp;β:</source>
        <translation>JSD &amp;β：</translation>
    </message>
    <message>
        <source>β of the generalised JSD, in [0, 1]; 0.5 is the symmetric JSD.</source>
        <translation>广义 JSD 的 β，取值 [0, 1]；0.5 即对称 JSD。</translation>
    </message>
    <message>
        <source>&amp;Temperature τ:</source>
        <translation>温度 τ(&amp;T)：</translation>
    </message>
    <message>
        <source>Softmax temperature (&gt; 0) when the τ schedule is constant; typical 1–4.</source>
        <translation>τ 调度为 constant 时的 softmax 温度（&gt; 0）；通常为 1–4。</translation>
    </message>
    <message>
        <source>&amp;Alpha α:</source>
        <translation>Alpha α(&amp;A)：</translation>
    </message>
    <message>
        <source>Weight of the CE term in [0, 1] when the α schedule is constant; (1−α) weighs KD.</source>
        <translation>α 调度为 constant 时 CE 项的权重，取值 [0, 1]；KD 项的权重为 (1−α)。</translation>
    </message>
    <message>
        <source>τ schedule</source>
        <translation>τ 调度</translation>
    </message>
    <message>
        <source>α schedule</source>
        <translation>α 调度</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>constant: the value above; linear/cosine: from start to end; stages: the run cut into equal parts, part k uses start + per stage·k.</source>
        <translation>constant：使用上方的值；linear/cosine：从起始值变化到结束值；stages：将运行等分为若干阶段，第 k 阶段使用 起始值 + 每阶段增量·k。</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>起始值：</translation>
    </message>
    <message>
        <source>Value at step 0 (and of the first stage).</source>
        <translation>第 0 步（以及第一阶段）的值。</translation>
    </message>
    <message>
        <source>End:</source>
        <translation>结束值：</translation>
    </message>
    <message>
        <source>linear/cosine: value at the last step.</source>
        <translation>linear/cosine：最后一步的值。</translation>
    </message>
    <message>
        <source>Stages:</source>
        <translation>阶段数：</translation>
    </message>
    <message>
        <source>stages: number of equal parts of the run; typical 2–5.</source>
        <translation>stages：将运行等分的阶段数；通常为 2–5。</translation>
    </message>
    <message>
        <source>Per stage:</source>
        <translation>每阶段增量：</translation>
    </message>
    <message>
        <source>stages: added at each stage (τ: e.g. −0.8, α: e.g. +0.15).</source>
        <translation>stages：每个阶段增加的值（τ：例如 −0.8，α：例如 +0.15）。</translation>
    </message>
    <message>
        <source>&amp;Feature weight:</source>
        <translation>特征权重(&amp;F)：</translation>
    </message>
    <message>
        <source>Weight of the hidden-state alignment loss (0: off); typical 0.01–1.</source>
        <translation>隐藏状态对齐损失的权重（0：关闭）；通常为 0.01–1。</translation>
    </message>
    <message>
        <source>Feature l&amp;oss:</source>
        <translation>特征损失(&amp;O)：</translation>
    </message>
    <message>
        <source>How student and teacher hidden states are compared.</source>
        <translation>学生模型与教师模型隐藏状态的比较方式。</translation>
    </message>
    <message>
        <source>Feature la&amp;yers:</source>
        <translation>特征层(&amp;Y)：</translation>
    </message>
    <message>
        <source>Comma-separated student hidden_states indices to align; empty: every layer, mapped uniformly onto the teacher&apos;s.</source>
        <translation>要对齐的学生模型 hidden_states 索引，以逗号分隔；留空：所有层，均匀映射到教师模型的层上。</translation>
    </message>
    <message>
        <source>&amp;Chunk tokens:</source>
        <translation>分块词元数(&amp;C)：</translation>
    </message>
    <message>
        <source>Tokens per chunk of the fused KD loss; lower it when memory runs out. Typical 256–4096.</source>
        <translation>融合 KD 损失每个分块的词元数；内存不足时请调低。通常为 256–4096。</translation>
    </message>
    <message>
        <source>Main teacher &amp;weight:</source>
        <translation>主教师模型权重(&amp;W)：</translation>
    </message>
    <message>
        <source>The main teacher&apos;s weight in the mix of soft targets (weights are normalised).</source>
        <translation>主教师模型在混合软目标中的权重（权重会归一化）。</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Further teachers whose soft targets are mixed with the main teacher&apos;s (same tokenizer); weight &gt; 0, typical 0.5–1.</source>
        <translation>其他教师模型，其软目标与主教师模型的软目标混合（须使用相同分词器）；权重 &gt; 0，通常为 0.5–1。</translation>
    </message>
    <message>
        <source>E&amp;xtra teachers:</source>
        <translation>额外教师模型(&amp;X)：</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a layer index</source>
        <translation>“%1”不是有效的层索引</translation>
    </message>
    <message>
        <source>row %1: the weight is not a number</source>
        <translation>第 %1 行：权重不是数字</translation>
    </message>
    <message>
        <source>Advanced: teacher logits ca&amp;che</source>
        <translation>高级：教师模型 logits 缓存(&amp;C)</translation>
    </message>
    <message>
        <source>Runs the teacher once and reuses its top-k logits for every epoch and trial.</source>
        <translation>只运行一次教师模型，并在每个轮次（epoch）和每次试验中复用其 top-k logits。</translation>
    </message>
    <message>
        <source>Cache top-&amp;k:</source>
        <translation>缓存 top-k(&amp;K)：</translation>
    </message>
    <message>
        <source>Teacher logits kept per token in the cache (0: the teacher runs online every step); typical 32–128.</source>
        <translation>缓存中每个词元保留的教师模型 logits 数量（0：每一步都在线运行教师模型）；通常为 32–128。</translation>
    </message>
    <message>
        <source>Cache fol&amp;der:</source>
        <translation>缓存文件夹(&amp;D)：</translation>
    </message>
    <message>
        <source>Folder the top-k cache is written to once and read back from; empty: under the job&apos;s output.</source>
        <translation>top-k 缓存一次性写入并从中读回的文件夹；留空：位于任务输出目录下。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::EvalSection</name>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>LoRA adapter (optional)</source>
        <translation>LoRA 适配器（可选）</translation>
    </message>
    <message>
        <source>The models every task is run on: a unique label (results are stored under it), a model folder (full precision or written by quantize) and optionally a LoRA adapter folder applied on top. Usually 2–5.</source>
        <translation>运行每个评测任务的模型：唯一的标签（结果以其为名保存）、模型文件夹（全精度或由 quantize 写出）以及可选的、叠加在其上的 LoRA 适配器文件夹。通常为 2–5 个。</translation>
    </message>
    <message>
        <source>From wor&amp;kspace</source>
        <translation>从工作区(&amp;K)</translation>
    </message>
    <message>
        <source>Adds one of the models registered in the workspace (Models panel).</source>
        <translation>添加已在工作区中登记的某个模型（“模型”面板）。</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>添加文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Adds a model folder (Hugging Face layout, or one written by quantize).</source>
        <translation>添加模型文件夹（Hugging Face 布局，或由 quantize 写出的文件夹）。</translation>
    </message>
    <message>
        <source>A&amp;dapter…</source>
        <translation>适配器(&amp;D)…</translation>
    </message>
    <message>
        <source>Sets the LoRA adapter folder of the selected model.</source>
        <translation>设置所选模型的 LoRA 适配器文件夹。</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>移除(&amp;V)</translation>
    </message>
    <message>
        <source>Removes the selected model from the evaluation.</source>
        <translation>从评估中移除所选模型。</translation>
    </message>
    <message>
        <source>&amp;Models:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>What is measured: perplexity and next-token accuracy over sliding windows, multiple-choice accuracy, generation scored by the metrics below (generation and multiple choice need a format with prompts).</source>
        <translation>测量内容：滑动窗口上的困惑度和下一词元准确率、多项选择准确率、按下列指标评分的生成结果（生成和多项选择需要包含提示词的格式）。</translation>
    </message>
    <message>
        <source>T&amp;asks:</source>
        <translation>评测任务(&amp;A)：</translation>
    </message>
    <message>
        <source>Scores of the generated answers: exact_match and token_f1 (SQuAD), bleu (sacreBLEU 13a), chrf, rouge (ROUGE-1/2/L F). Usually all five.</source>
        <translation>生成回答的评分：exact_match 和 token_f1（SQuAD）、bleu（sacreBLEU 13a）、chrf、rouge（ROUGE-1/2/L F）。通常五项全选。</translation>
    </message>
    <message>
        <source>M&amp;etrics:</source>
        <translation>指标(&amp;E)：</translation>
    </message>
    <message>
        <source>Max &amp;new tokens:</source>
        <translation>最大新词元数(&amp;N)：</translation>
    </message>
    <message>
        <source>Generation: new tokens per answer at most (greedy), ≥ 1; typical 32–256.</source>
        <translation>生成：每个回答最多生成的新词元数（贪心解码），≥ 1；通常为 32–256。</translation>
    </message>
    <message>
        <source>Max sam&amp;ples:</source>
        <translation>最大样本数(&amp;P)：</translation>
    </message>
    <message>
        <source>Scores only the first N rows of the test set (0: all); typical 100–1000 for a quick look.</source>
        <translation>仅对测试集的前 N 行评分（0：全部）；快速查看时通常为 100–1000。</translation>
    </message>
    <message>
        <source>Window &amp;length:</source>
        <translation>窗口长度(&amp;L)：</translation>
    </message>
    <message>
        <source>Perplexity/accuracy: tokens per window, ≥ 2; typical 256–2048.</source>
        <translation>困惑度/准确率：每个窗口的词元数，≥ 2；通常为 256–2048。</translation>
    </message>
    <message>
        <source>Window st&amp;ride:</source>
        <translation>窗口步幅(&amp;R)：</translation>
    </message>
    <message>
        <source>Perplexity/accuracy: tokens the window moves by, 1..window length; typical half the window.</source>
        <translation>困惑度/准确率：窗口每次移动的词元数，取值 1..窗口长度；通常为窗口长度的一半。</translation>
    </message>
    <message>
        <source>&amp;Choices field:</source>
        <translation>选项字段(&amp;C)：</translation>
    </message>
    <message>
        <source>Multiple choice: the row field holding the candidate answers (a list of strings); usually choices.</source>
        <translation>多项选择：存放候选答案（字符串列表）的行字段；通常为 choices。</translation>
    </message>
    <message>
        <source>Ans&amp;wer field:</source>
        <translation>答案字段(&amp;W)：</translation>
    </message>
    <message>
        <source>Multiple choice: the row field with the right answer (its 0-based index or its text); usually answer.</source>
        <translation>多项选择：存放正确答案（从 0 开始的索引或答案文本）的行字段；通常为 answer。</translation>
    </message>
    <message>
        <source>&amp;Baseline:</source>
        <translation>基线(&amp;B)：</translation>
    </message>
    <message>
        <source>The reference model (one of the labels) others are compared with: KLD, same top-1, accuracy drop. None: no comparison.</source>
        <translation>其他模型与之比较的参照模型（标签之一）：KLD、top-1 一致率、准确率下降。无：不进行比较。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Max accurac&amp;y drop:</source>
        <translation>最大准确率下降(&amp;Y)：</translation>
    </message>
    <message>
        <source>Pass rule against the baseline: accuracy may fall by at most this (absolute, 0–1); typical 0.02.</source>
        <translation>相对基线的通过规则：准确率最多可下降此值（绝对值，0–1）；通常为 0.02。</translation>
    </message>
    <message>
        <source>D&amp;type:</source>
        <translation>数据类型(&amp;T)：</translation>
    </message>
    <message>
        <source>auto: float32 on the CPU, bfloat16 on CUDA.</source>
        <translation>auto：CPU 上为 float32，CUDA 上为 bfloat16。</translation>
    </message>
    <message>
        <source>No workspace is open.</source>
        <translation>未打开工作区。</translation>
    </message>
    <message>
        <source>No models registered (add them in the Models panel).</source>
        <translation>未登记任何模型（请在“模型”面板中添加）。</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <source>LoRA adapter folder</source>
        <translation>LoRA 适配器文件夹</translation>
    </message>
</context>
<context>
    <name>distillery::ui::EvaluationPanel</name>
    <message>
        <source>Only where the models disagree</source>
        <translation>仅显示模型结果不一致的样本</translation>
    </message>
    <message>
        <source>The evaluation job whose results are shown (distillery-cli eval or an Evaluation job).</source>
        <translation>显示其结果的评估任务（distillery-cli eval 或评估类任务）。</translation>
    </message>
    <message>
        <source>Filter samples…</source>
        <translation>筛选样本…</translation>
    </message>
    <message>
        <source>Shows only samples whose input, reference or any output contains this text.</source>
        <translation>仅显示输入、参考答案或任一输出中包含此文本的样本。</translation>
    </message>
    <message>
        <source>Shows only samples where not all models gave the same answer.</source>
        <translation>仅显示并非所有模型都给出相同答案的样本。</translation>
    </message>
    <message>
        <source>The selected sample: each model&apos;s answer, words that are not in the reference marked.</source>
        <translation>所选样本：各模型的答案，参考答案中没有的词会被标出。</translation>
    </message>
    <message>
        <source>&amp;Evaluation job:</source>
        <translation>评估任务(&amp;E)：</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>(no answer)</source>
        <translation>（无答案）</translation>
    </message>
</context>
<context>
    <name>distillery::ui::GenerateDialog</name>
    <message>
        <source>Generate answers with a teacher</source>
        <translation>用教师模型生成回答</translation>
    </message>
    <message>
        <source>&amp;Teacher:</source>
        <translation>教师模型(&amp;T)：</translation>
    </message>
    <message>
        <source>The model that answers each prompt with its chat template: one of the workspace&apos;s models, or a model folder (Hugging Face layout) chosen with Folder…</source>
        <translation>使用其聊天模板回答每个提示词的模型：工作区中的某个模型，或通过“文件夹…”选择的模型文件夹（Hugging Face 布局）</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>&amp;Greedy decoding</source>
        <translation>贪心解码(&amp;G)</translation>
    </message>
    <message>
        <source>Take the most likely token each step (deterministic; temperature, top-p and top-k unused; set the repetition penalty to 1 for plain greedy). Off: sampling.</source>
        <translation>每一步取概率最高的词元（确定性；不使用温度、top-p 和 top-k；如需纯贪心解码，请将重复惩罚设为 1）。关闭：采样。</translation>
    </message>
    <message>
        <source>Te&amp;mperature:</source>
        <translation>温度(&amp;M)：</translation>
    </message>
    <message>
        <source>Divides the logits before sampling: lower is more focused, higher more varied. Must be above 0. Typical 0.5–1.0 (default 0.7).</source>
        <translation>采样前用它除 logits：越低越集中，越高越多样。必须大于 0。通常为 0.5–1.0（默认 0.7）。</translation>
    </message>
    <message>
        <source>Top-&amp;p:</source>
        <translation>Top-p(&amp;P)：</translation>
    </message>
    <message>
        <source>Sample among the most likely tokens up to this probability mass, in (0, 1]; 1 turns it off. Typical 0.8–0.95 (default 0.9).</source>
        <translation>在累计概率达到此值的最可能词元中采样，取值范围 (0, 1]；1 表示关闭。通常为 0.8–0.95（默认 0.9）。</translation>
    </message>
    <message>
        <source>Top-&amp;k:</source>
        <translation>Top-k(&amp;K)：</translation>
    </message>
    <message>
        <source>Sample among the K most likely tokens; 0 turns it off (default). Typical 20–100.</source>
        <translation>在概率最高的 K 个词元中采样；0 表示关闭（默认）。通常为 20–100。</translation>
    </message>
    <message>
        <source>Max &amp;new tokens:</source>
        <translation>最大新词元数(&amp;N)：</translation>
    </message>
    <message>
        <source>Tokens per answer at most; longer answers are cut and counted as unfinished. Typical 128–1024 (default 512).</source>
        <translation>每个回答最多的词元数；更长的回答会被截断并计为未完成。通常为 128–1024（默认 512）。</translation>
    </message>
    <message>
        <source>&amp;Repetition penalty:</source>
        <translation>重复惩罚(&amp;R)：</translation>
    </message>
    <message>
        <source>Divides the scores of tokens already in the row (prompt included); 1 turns it off. Must be above 0. Typical 1.0–1.3 (default 1.2).</source>
        <translation>用它除已在该行中出现过的词元（包括提示词中的）的分数；1 表示关闭。必须大于 0。通常为 1.0–1.3（默认 1.2）。</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>随机种子(&amp;E)：</translation>
    </message>
    <message>
        <source>Sampler seed: the same seed, teacher and prompts give the same answers. Default 0.</source>
        <translation>采样器随机种子：相同的随机种子、教师模型和提示词会得到相同的回答。默认 0。</translation>
    </message>
    <message>
        <source>&amp;Prompt field:</source>
        <translation>提示词字段(&amp;P)：</translation>
    </message>
    <message>
        <source>the prompt by the row&apos;s schema</source>
        <translation>按行格式取得的提示词</translation>
    </message>
    <message>
        <source>The column that holds the prompt; empty: the prompt by the row&apos;s schema (prompt, instruction, the user turns of messages...).</source>
        <translation>存放提示词的列；留空：按行格式取得的提示词（prompt、instruction、messages 中的用户轮次...）。</translation>
    </message>
    <message>
        <source>Reference &amp;answer field:</source>
        <translation>参考答案字段(&amp;A)：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>With a prompt field: the column with a reference answer, if the dataset has one (it is replaced by the teacher&apos;s). Empty: the rows hold prompts only.</source>
        <translation>设置了提示词字段时：存放参考答案的列（如果数据集中有的话；它会被教师模型的回答替换）。留空：各行只包含提示词。</translation>
    </message>
    <message>
        <source>&amp;Batch:</source>
        <translation>批大小(&amp;B)：</translation>
    </message>
    <message>
        <source>Prompts answered together (one KV cache, left padding). Typical 4–32 on a GPU, 1–8 on the CPU (default 8).</source>
        <translation>一起回答的提示词数（共用一个 KV 缓存，左侧填充）。GPU 上通常为 4–32，CPU 上为 1–8（默认 8）。</translation>
    </message>
    <message>
        <source>&amp;Limit:</source>
        <translation>数量上限(&amp;L)：</translation>
    </message>
    <message>
        <source>Answer only the first N prompts (0: all). Useful for a quick look before the full run.</source>
        <translation>只回答前 N 个提示词（0：全部）。适合在完整运行前快速查看。</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>Where the teacher runs: cpu, or cuda:N for a GPU the runtime reports.</source>
        <translation>教师模型运行的位置：cpu，或运行时报告的 GPU 对应的 cuda:N。</translation>
    </message>
    <message>
        <source>Teacher d&amp;type:</source>
        <translation>教师模型数据类型(&amp;T)：</translation>
    </message>
    <message>
        <source>The teacher&apos;s weights in float32 (f32, exact, usual on the CPU) or bfloat16 (bf16, half the memory, for a GPU).</source>
        <translation>教师模型权重使用 float32（f32，精确，CPU 上常用）或 bfloat16（bf16，内存减半，用于 GPU）。</translation>
    </message>
    <message>
        <source>Teacher model folder</source>
        <translation>教师模型文件夹</translation>
    </message>
    <message>
        <source>teacher: choose a workspace model or a model folder</source>
        <translation>教师模型：请选择工作区模型或模型文件夹</translation>
    </message>
    <message>
        <source>teacher: %1 has no config.json (not a model folder)</source>
        <translation>教师模型：%1 中没有 config.json（不是模型文件夹）</translation>
    </message>
    <message>
        <source>%1: %2 must be above 0 (typical 0.5–1.0)</source>
        <translation>%1：%2 必须大于 0（通常为 0.5–1.0）</translation>
    </message>
    <message>
        <source>%1: %2 must be in (0, 1] (typical 0.8–0.95)</source>
        <translation>%1：%2 必须在 (0, 1] 范围内（通常为 0.8–0.95）</translation>
    </message>
    <message>
        <source>%1: %2 must be above 0 (1: off)</source>
        <translation>%1：%2 必须大于 0（1：关闭）</translation>
    </message>
</context>
<context>
    <name>distillery::ui::HumanScoresModel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Elo [95% CI]</source>
        <translation>Elo [95% 置信区间]</translation>
    </message>
    <message>
        <source>Bradley-Terry [95% CI]</source>
        <translation>Bradley-Terry [95% 置信区间]</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>胜</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>平</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>负</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>都不好</translation>
    </message>
    <message>
        <source>Weighted total [95% CI]</source>
        <translation>加权总分 [95% 置信区间]</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>条目数</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>评分数</translation>
    </message>
</context>
<context>
    <name>distillery::ui::JobForm</name>
    <message>
        <source>&amp;Job</source>
        <translation>任务(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>蒸馏</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>全量微调</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Shown in the queue; empty: the kind and the student folder&apos;s name.</source>
        <translation>显示在队列中；留空：使用任务类型和学生模型文件夹名称。</translation>
    </message>
    <message>
        <source>&amp;Student:</source>
        <translation>学生模型(&amp;S)：</translation>
    </message>
    <message>
        <source>Model folder (Hugging Face layout) that is trained.</source>
        <translation>被训练的模型文件夹（Hugging Face 布局）。</translation>
    </message>
    <message>
        <source>&amp;Teacher:</source>
        <translation>教师模型(&amp;T)：</translation>
    </message>
    <message>
        <source>Distillation only: the model folder whose soft targets the student learns.</source>
        <translation>仅用于蒸馏：学生模型学习其软目标的模型文件夹。</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>输出(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>Where the job runs: cpu, or cuda:N for a GPU the runtime reports. One job per GPU at a time.</source>
        <translation>任务的运行位置：cpu，或运行时报告的 GPU（cuda:N）。每个 GPU 同一时间只运行一个任务。</translation>
    </message>
    <message>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <source>T&amp;raining set:</source>
        <translation>训练集(&amp;R)：</translation>
    </message>
    <message>
        <source>Dataset file: JSONL, JSON array, CSV/TSV or text.</source>
        <translation>数据集文件：JSONL、JSON 数组、CSV/TSV 或文本。</translation>
    </message>
    <message>
        <source>&amp;Validation set:</source>
        <translation>验证集(&amp;V)：</translation>
    </message>
    <message>
        <source>Optional dataset file for validation loss, early stopping and the best checkpoint.</source>
        <translation>可选的数据集文件，用于验证损失、提前停止和最佳检查点。</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Row schema: text {text}, alpaca {instruction, input, output}, sharegpt, messages, prompt_completion {prompt, completion}.</source>
        <translation>行格式：text {text}、alpaca {instruction, input, output}、sharegpt、messages、prompt_completion {prompt, completion}。</translation>
    </message>
    <message>
        <source>Tr&amp;uncation:</source>
        <translation>截断(&amp;U)：</translation>
    </message>
    <message>
        <source>An example longer than seq_len: right keeps its start, left keeps its end (the reply), drop leaves it out.</source>
        <translation>样本长于 seq_len 时：right 保留开头，left 保留结尾（回复部分），drop 将其丢弃。</translation>
    </message>
    <message>
        <source>Loss on &amp;responses only</source>
        <translation>仅对回复计算损失(&amp;R)</translation>
    </message>
    <message>
        <source>Loss on the assistant replies only (ignored for text). Usually on.</source>
        <translation>仅对助手回复计算损失（text 格式忽略此项）。通常开启。</translation>
    </message>
    <message>
        <source>&amp;Packing</source>
        <translation>序列打包(&amp;P)</translation>
    </message>
    <message>
        <source>Several examples per row of seq_len tokens, attention kept inside each. Speeds up short examples.</source>
        <translation>将多个样本打包进一行 seq_len 个词元中，注意力限制在各样本内部。可加快短样本的训练。</translation>
    </message>
    <message>
        <source>&amp;Bucketing</source>
        <translation>长度分桶(&amp;B)</translation>
    </message>
    <message>
        <source>Batches of rows of similar length: less padding.</source>
        <translation>将长度相近的行组成批次：减少填充。</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>Max &amp;steps:</source>
        <translation>最大步数(&amp;S)：</translation>
    </message>
    <message>
        <source>Optimizer steps to run; typical 100–10000.</source>
        <translation>要运行的优化器步数；通常为 100–10000。</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>批大小(&amp;B)：</translation>
    </message>
    <message>
        <source>Sequences per micro-batch; typical 1–64 (lower it when memory runs out).</source>
        <translation>每个微批次的序列数；通常为 1–64（内存不足时请调低）。</translation>
    </message>
    <message>
        <source>&amp;Gradient accumulation:</source>
        <translation>梯度累积(&amp;G)：</translation>
    </message>
    <message>
        <source>Micro-batches per optimizer step; typical 1–16. Effective batch = batch × this.</source>
        <translation>每个优化器步的微批次数；通常为 1–16。有效批大小 = 批大小 × 此值。</translation>
    </message>
    <message>
        <source>Se&amp;quence length:</source>
        <translation>序列长度(&amp;Q)：</translation>
    </message>
    <message>
        <source>Tokens per sequence; longer rows are cut. Typical 128–4096.</source>
        <translation>每个序列的词元数；更长的行会被截断。通常为 128–4096。</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>学习率(&amp;L)：</translation>
    </message>
    <message>
        <source>Peak learning rate; typical 1e-5–3e-5 (full fine-tuning), 1e-4–1e-3 (LoRA).</source>
        <translation>峰值学习率；通常为 1e-5–3e-5（全量微调）、1e-4–1e-3（LoRA）。</translation>
    </message>
    <message>
        <source>&amp;Warmup steps:</source>
        <translation>预热步数(&amp;W)：</translation>
    </message>
    <message>
        <source>Linear warmup from 0; typical 1–10% of max steps.</source>
        <translation>从 0 开始线性预热；通常为最大步数的 1–10%。</translation>
    </message>
    <message>
        <source>S&amp;cheduler:</source>
        <translation>调度器(&amp;C)：</translation>
    </message>
    <message>
        <source>Learning-rate decay after warmup: cosine (usual), linear or constant.</source>
        <translation>预热后的学习率衰减方式：cosine（常用）、linear 或 constant。</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>随机种子(&amp;E)：</translation>
    </message>
    <message>
        <source>Seeds data order, initialisation and dropout; same seed, same run.</source>
        <translation>决定数据顺序、初始化和 dropout；相同的种子得到相同的运行结果。</translation>
    </message>
    <message>
        <source>E&amp;valuate every:</source>
        <translation>评估间隔(&amp;V)：</translation>
    </message>
    <message>
        <source>Validation every N steps (0: off); typical 10–500.</source>
        <translation>每 N 步验证一次（0：关闭）；通常为 10–500。</translation>
    </message>
    <message>
        <source>Sa&amp;ve every:</source>
        <translation>保存间隔(&amp;V)：</translation>
    </message>
    <message>
        <source>Checkpoint every N steps (0: only at the end); typical 50–1000.</source>
        <translation>每 N 步保存一次检查点（0：仅在结束时保存）；通常为 50–1000。</translation>
    </message>
    <message>
        <source>L&amp;og every:</source>
        <translation>日志间隔(&amp;O)：</translation>
    </message>
    <message>
        <source>Metrics every N steps; typical 1–50.</source>
        <translation>每 N 步记录一次指标；通常为 1–50。</translation>
    </message>
    <message>
        <source>&amp;Dtype:</source>
        <translation>数据类型(&amp;D)：</translation>
    </message>
    <message>
        <source>auto: float32 on the CPU, bf16 autocast on CUDA.</source>
        <translation>auto：在 CPU 上使用 float32，在 CUDA 上使用 bf16 自动混合精度。</translation>
    </message>
    <message>
        <source>Lo&amp;RA</source>
        <translation>LoRA(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Rank r:</source>
        <translation>秩 r(&amp;R)：</translation>
    </message>
    <message>
        <source>Rank of the adapters, ≥ 1; typical 4–64.</source>
        <translation>适配器的秩，≥ 1；通常为 4–64。</translation>
    </message>
    <message>
        <source>&amp;Alpha:</source>
        <translation>Alpha(&amp;A)：</translation>
    </message>
    <message>
        <source>Scaling numerator (&gt; 0): the update is scaled by alpha/r; typical 2·r.</source>
        <translation>缩放分子（&gt; 0）：更新量按 alpha/r 缩放；通常为 2·r。</translation>
    </message>
    <message>
        <source>&amp;Dropout:</source>
        <translation>Dropout(&amp;D)：</translation>
    </message>
    <message>
        <source>Dropout on the adapter input, in [0, 1); typical 0–0.1.</source>
        <translation>适配器输入上的 dropout，取值 [0, 1)；通常为 0–0.1。</translation>
    </message>
    <message>
        <source>Linear modules that get adapters, read from the student&apos;s weights; all-linear adapts every Linear of the decoder layers. Typical: q_proj and v_proj.</source>
        <translation>添加适配器的 Linear 模块，从学生模型的权重中读取；all-linear 表示适配解码器层中的所有 Linear。通常为 q_proj 和 v_proj。</translation>
    </message>
    <message>
        <source>&amp;Target modules:</source>
        <translation>目标模块(&amp;T)：</translation>
    </message>
    <message>
        <source>Rank-&amp;stabilised scaling (rsLoRA)</source>
        <translation>秩稳定缩放（rsLoRA）(&amp;S)</translation>
    </message>
    <message>
        <source>Scale by alpha/√r instead of alpha/r; helps at large ranks.</source>
        <translation>按 alpha/√r 而非 alpha/r 缩放；在秩较大时有帮助。</translation>
    </message>
    <message>
        <source>&amp;Full fine-tuning</source>
        <translation>全量微调(&amp;F)</translation>
    </message>
    <message>
        <source>Tr&amp;ainable parameters:</source>
        <translation>可训练参数(&amp;A)：</translation>
    </message>
    <message>
        <source>Comma-separated name substrings of the parameters to train (e.g. &quot;layers.1., norm&quot;); empty: all. Also for distillation&apos;s student.</source>
        <translation>要训练的参数名称子串，以逗号分隔（例如 &quot;layers.1., norm&quot;）；留空：全部。也适用于蒸馏中的学生模型。</translation>
    </message>
    <message>
        <source>The learning rate is on the Training page; the preset sets 3e-5.</source>
        <translation>学习率在“训练”页设置；预设值为 3e-5。</translation>
    </message>
    <message>
        <source>Di&amp;stillation</source>
        <translation>蒸馏(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;weep</source>
        <translation>超参数搜索(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>方法(&amp;M)：</translation>
    </message>
    <message>
        <source>grid: every combination of the values; tpe: Bayesian search (trials).</source>
        <translation>grid：取值的所有组合；tpe：贝叶斯搜索（按试验次数）。</translation>
    </message>
    <message>
        <source>T&amp;rials:</source>
        <translation>试验次数(&amp;R)：</translation>
    </message>
    <message>
        <source>tpe: trials to run (grid runs every combination); typical 8–50.</source>
        <translation>tpe：要运行的试验次数（grid 会运行所有组合）；通常为 8–50。</translation>
    </message>
    <message>
        <source>M&amp;etric:</source>
        <translation>指标(&amp;E)：</translation>
    </message>
    <message>
        <source>What the sweep minimises: validation loss (needs a validation set) or loss.</source>
        <translation>搜索要最小化的目标：验证损失（需要验证集）或损失。</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>&amp;Parameters:</source>
        <translation>参数(&amp;P)：</translation>
    </message>
    <message>
        <source>Starting values for a kind of job; paths and data stay as they are.</source>
        <translation>某类任务的初始取值；路径和数据保持不变。</translation>
    </message>
    <message>
        <source>A&amp;pply preset</source>
        <translation>应用预设(&amp;P)</translation>
    </message>
    <message>
        <source>Sets the kind and the preset&apos;s values in the form.</source>
        <translation>在表单中设置任务类型和预设值。</translation>
    </message>
    <message>
        <source>The job JSON exactly as saved and as `distillery-cli train JOB.json` reads it.</source>
        <translation>任务 JSON，与保存的内容及 `distillery-cli train JOB.json` 读取的内容完全一致。</translation>
    </message>
    <message>
        <source>L&amp;oad…</source>
        <translation>加载(&amp;O)…</translation>
    </message>
    <message>
        <source>Reads a job JSON file into the form (relative paths resolve against its folder).</source>
        <translation>将任务 JSON 文件读入表单（相对路径相对于该文件所在文件夹解析）。</translation>
    </message>
    <message>
        <source>Sa&amp;ve…</source>
        <translation>保存(&amp;V)…</translation>
    </message>
    <message>
        <source>Writes the job JSON to a file the CLI can run.</source>
        <translation>将任务 JSON 写入可由 CLI 运行的文件。</translation>
    </message>
    <message>
        <source>Start &amp;job</source>
        <translation>启动任务(&amp;J)</translation>
    </message>
    <message>
        <source>Queues the job on the workspace&apos;s runner.</source>
        <translation>将任务加入工作区运行器的队列。</translation>
    </message>
    <message>
        <source>Pre&amp;set:</source>
        <translation>预设(&amp;S)：</translation>
    </message>
    <message>
        <source>Job &amp;JSON:</source>
        <translation>任务 JSON(&amp;J)：</translation>
    </message>
    <message>
        <source>Pick the student to list its Linear modules.</source>
        <translation>选择学生模型以列出其 Linear 模块。</translation>
    </message>
    <message numerus="yes">
        <source>%n Linear module name(s) in the student&apos;s decoder layers.</source>
        <translation>
            <numerusform>学生模型解码器层中有 %n 个 Linear 模块名称。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot list the student&apos;s modules: %1</source>
        <translation>无法列出学生模型的模块：%1</translation>
    </message>
    <message>
        <source>sweep base</source>
        <translation>搜索基础任务</translation>
    </message>
    <message>
        <source>row %1: &quot;%2&quot; is not a number</source>
        <translation>第 %1 行：“%2”不是数字</translation>
    </message>
    <message>
        <source>job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>✓ The job is valid.</source>
        <translation>✓ 任务有效。</translation>
    </message>
    <message>
        <source>The job is not valid: %1</source>
        <translation>任务无效：%1</translation>
    </message>
    <message>
        <source>Save job</source>
        <translation>保存任务</translation>
    </message>
    <message>
        <source>Job JSON (*.json)</source>
        <translation>任务 JSON (*.json)</translation>
    </message>
    <message>
        <source>Load job</source>
        <translation>加载任务</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>T&amp;est set:</source>
        <translation>测试集(&amp;E)：</translation>
    </message>
    <message>
        <source>Evaluation only: the dataset file the models are scored on (same formats).</source>
        <translation>仅用于评估：对模型评分所用的数据集文件（格式相同）。</translation>
    </message>
    <message>
        <source>Advanced: field &amp;names</source>
        <translation>高级：字段名(&amp;N)</translation>
    </message>
    <message>
        <source>For datasets whose columns are named differently from the format&apos;s fields.</source>
        <translation>适用于列名与格式字段名不同的数据集。</translation>
    </message>
    <message>
        <source>Schema field</source>
        <translation>格式字段</translation>
    </message>
    <message>
        <source>Source field</source>
        <translation>源字段</translation>
    </message>
    <message>
        <source>Reads a format&apos;s field from a differently named column, e.g. prompt ← question. Schema fields: text, instruction, input, output, messages, conversations, prompt, completion. Usually empty.</source>
        <translation>从名称不同的列中读取格式字段，例如 prompt ← question。格式字段：text、instruction、input、output、messages、conversations、prompt、completion。通常留空。</translation>
    </message>
    <message>
        <source>Field &amp;map:</source>
        <translation>字段映射(&amp;M)：</translation>
    </message>
    <message>
        <source>Quantization-&amp;aware training:</source>
        <translation>量化感知训练(&amp;A)：</translation>
    </message>
    <message>
        <source>Fake-quantizes the trained Linear weights in the forward pass so they survive quantize with that scheme (int4-gN: groups of N). Usually none; the scheme you will deploy.</source>
        <translation>在前向传播中对训练的 Linear 权重进行伪量化，使其在用该方案 quantize 后仍保持效果（int4-gN：每 N 个一组）。通常为 none；否则选择你将部署的方案。</translation>
    </message>
    <message>
        <source>Evaluat&amp;ion</source>
        <translation>评估(&amp;I)</translation>
    </message>
    <message>
        <source>Run as a s&amp;weep (one trial per combination or TPE sample)</source>
        <translation>作为超参数搜索运行（每个组合或每个 TPE 样本对应一次试验）(&amp;W)</translation>
    </message>
    <message>
        <source>Runs the job above once per value combination of the keys below (grid), or for the given number of trials sampled from their ranges (tpe); each trial is a child job.</source>
        <translation>对下列键的每种取值组合各运行一次上方的任务（grid），或按给定次数从其取值范围中采样进行试验（tpe）；每次试验都是一个子任务。</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>对数</translation>
    </message>
    <message>
        <source>Integer</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>One row per swept key (e.g. train.lr, lora.r, kd.temperature): comma-separated values (grid, or TPE choices, e.g. 1e-4, 3e-4), or for tpe a range min..max instead (e.g. 1e-5..1e-3); Log samples the range on a log scale (min &gt; 0, usual for learning rates), Integer rounds the samples (ranks, steps).</source>
        <translation>每个搜索键一行（例如 train.lr、lora.r、kd.temperature）：以逗号分隔的取值（grid，或 TPE 的候选值，例如 1e-4, 3e-4），或者对于 tpe 改为给出范围 min..max（例如 1e-5..1e-3）；“对数”表示在对数刻度上对范围采样（min &gt; 0，学习率常用），“整数”表示将采样值取整（秩、步数）。</translation>
    </message>
    <message>
        <source>row %1: give values or a min..max range, not both</source>
        <translation>第 %1 行：请给出取值或 min..max 范围，不能同时给出</translation>
    </message>
    <message>
        <source>row %1: give values, or min and max</source>
        <translation>第 %1 行：请给出取值，或最小值和最大值</translation>
    </message>
    <message>
        <source>row %1: min &quot;%2&quot; is not a number</source>
        <translation>第 %1 行：最小值“%2”不是数字</translation>
    </message>
    <message>
        <source>row %1: max &quot;%2&quot; is not a number</source>
        <translation>第 %1 行：最大值“%2”不是数字</translation>
    </message>
    <message>
        <source>row %1: the schema field is empty</source>
        <translation>第 %1 行：格式字段为空</translation>
    </message>
    <message>
        <source>row %1: &quot;%2&quot; is mapped twice</source>
        <translation>第 %1 行：“%2”被映射了两次</translation>
    </message>
    <message>
        <source>%1: kind %2 is not edited in this form; run it with distillery-cli train.</source>
        <translation>%1：类型 %2 无法在此表单中编辑；请使用 distillery-cli train 运行。</translation>
    </message>
    <message>
        <source>What the job does: distillation from a teacher, LoRA adapters, all (or some) weights of the student, an evaluation of several models on a test set, or the quantization of a model folder.</source>
        <translation>任务的内容：从教师模型蒸馏、LoRA 适配器、训练学生模型的全部（或部分）权重、在测试集上评估多个模型，或量化一个模型文件夹。</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Folder for the trained model or adapter, metrics.jsonl, state.json and checkpoints (an evaluation: its results and per-sample outputs; a quantization: the quantized model).</source>
        <translation>存放训练后的模型或适配器、metrics.jsonl、state.json 和检查点的文件夹（评估：其结果和逐样本输出；量化：量化后的模型）。</translation>
    </message>
    <message>
        <source>&amp;Quantization</source>
        <translation>量化(&amp;Q)</translation>
    </message>
</context>
<context>
    <name>distillery::ui::JobTableModel</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>预计剩余时间</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>distillery::ui::JobsPanel</name>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation>取消任务(&amp;C)</translation>
    </message>
    <message>
        <source>Pauses the selected running job before its next step.</source>
        <translation>在下一步开始前暂停选中的运行中任务。</translation>
    </message>
    <message>
        <source>Continues a paused job, or queues a failed, cancelled or interrupted one again from its last checkpoint.</source>
        <translation>继续已暂停的任务，或将失败、已取消或中断的任务从其最近的检查点重新加入队列。</translation>
    </message>
    <message>
        <source>Stops the selected job within one step (a queued one leaves the queue).</source>
        <translation>在一步之内停止选中的任务（排队中的任务将移出队列）。</translation>
    </message>
    <message>
        <source>GPU utilisation and memory from NVML, refreshed every second.</source>
        <translation>来自 NVML 的 GPU 利用率和显存，每秒刷新。</translation>
    </message>
    <message>
        <source>The selected job&apos;s status changes, messages and last metrics.</source>
        <translation>选中任务的状态变化、消息和最新指标。</translation>
    </message>
    <message>
        <source>&amp;Log:</source>
        <translation>日志(&amp;L)：</translation>
    </message>
    <message>
        <source>Con&amp;figure</source>
        <translation>配置(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>队列(&amp;Q)</translation>
    </message>
    <message>
        <source>status: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>Open a workspace first: jobs run in a workspace.</source>
        <translation>请先打开工作区：任务在工作区中运行。</translation>
    </message>
    <message>
        <source>the runner refused: the job is not in a state for that</source>
        <translation>运行器拒绝：任务当前状态不允许此操作</translation>
    </message>
    <message>
        <source>Suggested fix: %1</source>
        <translation>建议的解决方法：%1</translation>
    </message>
    <message>
        <source>Select a job to see its log.</source>
        <translation>选择一个任务以查看其日志。</translation>
    </message>
    <message>
        <source>Open or create a workspace to begin.</source>
        <translation>请打开或创建一个工作区。</translation>
    </message>
    <message>
        <source>no GPU</source>
        <translation>无 GPU</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>?%</source>
        <translation>?%</translation>
    </message>
    <message>
        <source>cuda:%1 %2: %3, %4 / %5 GiB</source>
        <translation>cuda:%1 %2：%3，%4 / %5 GiB</translation>
    </message>
    <message>
        <source>last metrics (step %1): %2</source>
        <translation>最新指标（第 %1 步）：%2</translation>
    </message>
</context>
<context>
    <name>distillery::ui::LengthHistogram</name>
    <message>
        <source>Rows per token-length bin (equal-width bins from the shortest to the longest row).</source>
        <translation>每个词元长度分箱中的行数（从最短行到最长行等宽分箱）。</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行数</translation>
    </message>
</context>
<context>
    <name>distillery::ui::MainWindow</name>
    <message>
        <source>Distillery</source>
        <translation>Distillery</translation>
    </message>
    <message>
        <source>Panels</source>
        <translation>面板</translation>
    </message>
    <message>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1（Ctrl+%2）</translation>
    </message>
    <message>
        <source>&amp;Workspace</source>
        <translation>工作区(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>新建(&amp;N)…</translation>
    </message>
    <message>
        <source>Create a workspace folder that holds models, data, jobs and their results.</source>
        <translation>创建一个工作区文件夹，保存模型、数据、任务及其结果。</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Distillery</source>
        <translation>关于 Distillery(&amp;A)</translation>
    </message>
    <message>
        <source>Cannot create the workspace</source>
        <translation>无法创建工作区</translation>
    </message>
    <message>
        <source>Cannot open the workspace</source>
        <translation>无法打开工作区</translation>
    </message>
    <message>
        <source>Stop the demo</source>
        <translation>停止演示</translation>
    </message>
    <message>
        <source>Stops the demo build after the current training step; opening the demo again continues it.</source>
        <translation>在当前训练步结束后停止构建演示；再次打开演示会继续构建。</translation>
    </message>
    <message>
        <source>Demo %1/%2</source>
        <translation>演示 %1/%2</translation>
    </message>
    <message>
        <source>Building the demo: %1</source>
        <translation>正在构建演示：%1</translation>
    </message>
    <message>
        <source>The demo workspace is ready.</source>
        <translation>演示工作区已就绪。</translation>
    </message>
    <message>
        <source>Demo stopped; open it again to continue.</source>
        <translation>演示已停止；再次打开即可继续。</translation>
    </message>
    <message>
        <source>The demo could not be built</source>
        <translation>无法构建演示</translation>
    </message>
    <message>
        <source>New workspace folder</source>
        <translation>新建工作区文件夹</translation>
    </message>
    <message>
        <source>Open workspace folder</source>
        <translation>打开工作区文件夹</translation>
    </message>
    <message>
        <source>Workspace: %1 — %2</source>
        <translation>工作区：%1 — %2</translation>
    </message>
    <message>
        <source>%1 — Distillery</source>
        <translation>%1 — Distillery</translation>
    </message>
    <message>
        <source>No workspace open</source>
        <translation>未打开工作区</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>no GPU</source>
        <translation>无 GPU</translation>
    </message>
    <message numerus="yes">
        <source>%n GPU(s)</source>
        <translation>
            <numerusform>%n 个 GPU</numerusform>
        </translation>
    </message>
    <message>
        <source>CPU: %1 threads · BLAS: %2 · %3</source>
        <translation>CPU：%1 线程 · BLAS：%2 · %3</translation>
    </message>
    <message>
        <source>The reference BLAS is about 28× slower; install libopenblas0-openmp.</source>
        <translation>参考 BLAS 约慢 28 倍；请安装 libopenblas0-openmp。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::ModelFactsText</name>
    <message>
        <source>not stated</source>
        <translation>未说明</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>No tokenizer.json in the folder: prompts and token statistics need one.</source>
        <translation>文件夹中没有 tokenizer.json：提示词和词元统计需要它。</translation>
    </message>
    <message>
        <source>tokenizer.json does not load: %1</source>
        <translation>无法加载 tokenizer.json：%1</translation>
    </message>
    <message>
        <source>tokenizer.json loads; its %1 tokens match vocab_size %2.</source>
        <translation>tokenizer.json 已加载；其 %1 个词元与 vocab_size %2 相符。</translation>
    </message>
    <message>
        <source>tokenizer.json loads; it uses %1 of the model&apos;s %2 embedding rows (padded vocabulary, fine).</source>
        <translation>tokenizer.json 已加载；它使用了模型 %2 个嵌入行中的 %1 个（词表经过填充，没有问题）。</translation>
    </message>
    <message>
        <source>Mismatch: tokenizer.json has %1 tokens but the model&apos;s vocab_size is %2; ids from %2 on cannot be embedded.</source>
        <translation>不匹配：tokenizer.json 有 %1 个词元，但模型的 vocab_size 为 %2；从 %2 起的 ID 无法嵌入。</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <source>Head dimension</source>
        <translation>头维度</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <source>MLP size</source>
        <translation>MLP 大小</translation>
    </message>
    <message>
        <source>Vocabulary (vocab_size)</source>
        <translation>词表大小（vocab_size）</translation>
    </message>
    <message>
        <source>Dtype</source>
        <translation>数据类型（dtype）</translation>
    </message>
    <message>
        <source>Tied embeddings</source>
        <translation>共享嵌入权重</translation>
    </message>
    <message>
        <source>RoPE theta</source>
        <translation>RoPE theta</translation>
    </message>
    <message>
        <source>Max positions</source>
        <translation>最大位置数</translation>
    </message>
    <message>
        <source>End-of-sequence ids</source>
        <translation>序列结束 ID</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>%1 tensors, %2, matches config.json</source>
        <translation>%1 个张量，%2，与 config.json 相符</translation>
    </message>
    <message>
        <source>does not match config.json: %1</source>
        <translation>与 config.json 不符：%1</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Inference memory (bf16)</source>
        <translation>推理显存（bf16）</translation>
    </message>
    <message>
        <source>%1 at %2 tokens (weights %3, KV cache %4)</source>
        <translation>%2 个词元时为 %1（权重 %3，KV 缓存 %4）</translation>
    </message>
    <message>
        <source>LoRA training memory (bf16)</source>
        <translation>LoRA 训练显存（bf16）</translation>
    </message>
    <message>
        <source>%1 at r %2, %3 tokens × %4</source>
        <translation>r %2、%3 个词元 × %4 时为 %1</translation>
    </message>
</context>
<context>
    <name>distillery::ui::ModelListModel</name>
    <message>
        <source>teacher</source>
        <translation>教师模型</translation>
    </message>
    <message>
        <source>student</source>
        <translation>学生模型</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
</context>
<context>
    <name>distillery::ui::ModelsPanel</name>
    <message>
        <source>&amp;Add model folder…</source>
        <translation>添加模型文件夹(&amp;A)…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Drop a model folder here to add it.</source>
        <translation>将模型文件夹拖放到此处即可添加。</translation>
    </message>
    <message>
        <source>Role a newly added model gets: the teacher distils into the student; other models are kept for comparison.</source>
        <translation>新添加模型的角色：教师模型蒸馏到学生模型；其他模型用于对比。</translation>
    </message>
    <message>
        <source>Register a Hugging Face model folder (config.json, safetensors, tokenizer.json) in this workspace; the folder itself is not copied or changed.</source>
        <translation>在本工作区中登记 Hugging Face 模型文件夹（config.json、safetensors、tokenizer.json）；文件夹本身不会被复制或修改。</translation>
    </message>
    <message>
        <source>Role of the selected model. Mark one teacher and one student to check that they can be distilled.</source>
        <translation>所选模型的角色。标记一个教师模型和一个学生模型，以检查二者能否进行蒸馏。</translation>
    </message>
    <message>
        <source>Forget the selected model in this workspace (the folder on disk stays).</source>
        <translation>从本工作区中移除所选模型（磁盘上的文件夹保留）。</translation>
    </message>
    <message>
        <source>What `distillery-cli inspect` reports about the selected model.</source>
        <translation>`distillery-cli inspect` 对所选模型的报告内容。</translation>
    </message>
    <message>
        <source>Add a&amp;s:</source>
        <translation>添加为(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <source>Teacher → student check</source>
        <translation>教师模型 → 学生模型检查</translation>
    </message>
    <message>
        <source>Quick prompt (selected model)</source>
        <translation>快速提示（所选模型）</translation>
    </message>
    <message>
        <source>Cannot inspect %1: %2</source>
        <translation>无法检查 %1：%2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Add a model folder</source>
        <translation>添加模型文件夹</translation>
    </message>
    <message>
        <source>Open or create a workspace first.</source>
        <translation>请先打开或创建工作区。</translation>
    </message>
    <message>
        <source>%1: no such folder</source>
        <translation>%1：文件夹不存在</translation>
    </message>
    <message>
        <source>Cannot add %1: %2</source>
        <translation>无法添加 %1：%2</translation>
    </message>
    <message>
        <source>Add a model folder, or select one to see its facts.</source>
        <translation>添加模型文件夹，或选择一个模型以查看其信息。</translation>
    </message>
    <message>
        <source>Open or create a workspace to begin.</source>
        <translation>请打开或创建一个工作区。</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Mark one model as teacher and one as student to check that logit distillation between them is possible.</source>
        <translation>将一个模型标记为教师模型、一个标记为学生模型，以检查二者之间能否进行 logit 蒸馏。</translation>
    </message>
    <message>
        <source>Checking %1 → %2…</source>
        <translation>正在检查 %1 → %2…</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#1b5e20&apos;&gt;&amp;#10004; %1 → %2: OK (%3).&lt;/span&gt; %4</source>
        <translation>&lt;span style=&apos;color:#1b5e20&apos;&gt;&amp;#10004; %1 → %2：可以（%3）。&lt;/span&gt; %4</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b00020&apos;&gt;&amp;#10008; %1 → %2: vocabulary/tokenizer mismatch.&lt;/span&gt; %3</source>
        <translation>&lt;span style=&apos;color:#b00020&apos;&gt;&amp;#10008; %1 → %2：词表/分词器不匹配。&lt;/span&gt; %3</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b00020&apos;&gt;Cannot check %1 → %2: %3&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b00020&apos;&gt;无法检查 %1 → %2：%3&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>distillery::ui::QuantizationPanel</name>
    <message>
        <source>An evaluation job with a baseline: each other model (e.g. INT8, INT4) is compared with it.</source>
        <translation>带基线的评估任务：其他每个模型（例如 INT8、INT4）都与基线进行比较。</translation>
    </message>
    <message>
        <source>The statistic the bar chart compares across models.</source>
        <translation>柱状图在各模型间比较的统计量。</translation>
    </message>
    <message>
        <source>per-token KL divergence (nats)</source>
        <translation>逐词元 KL 散度（nats）</translation>
    </message>
    <message>
        <source>Box: 25th to 75th percentile with the median; whiskers: 1st and 99th percentile.</source>
        <translation>箱体：第 25 至第 75 百分位数及中位数；须线：第 1 和第 99 百分位数。</translation>
    </message>
    <message>
        <source>&amp;Evaluation job:</source>
        <translation>评估任务(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Chart:</source>
        <translation>图表(&amp;C)：</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>No model was compared with a baseline in this job. Run an evaluation job with eval.baseline set (e.g. the float model) and the quantized models beside it.</source>
        <translation>此任务中没有模型与基线进行比较。请运行设置了 eval.baseline（例如浮点模型）并同时包含量化模型的评估任务。</translation>
    </message>
    <message>
        <source>%1 of %2 models keep the accuracy drop below %3 against the baseline.</source>
        <translation>%2 个模型中有 %1 个相对基线的准确率下降低于 %3。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::QuantizeSection</name>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>The float model folder that is quantized (it is only read; the result goes to Output).</source>
        <translation>要量化的浮点模型文件夹（只读取；结果写入“输出”）。</translation>
    </message>
    <message>
        <source>&amp;Scheme:</source>
        <translation>方案(&amp;S)：</translation>
    </message>
    <message>
        <source>int8: per-channel 8-bit weights; int4-gN: 4-bit weights in groups of N (smaller N: closer to float, larger file); f16/bf16: a plain half-precision export. Typical: int8 or int4-g32.</source>
        <translation>int8：按通道的 8 位权重；int4-gN：按 N 个一组的 4 位权重（N 越小越接近浮点，文件越大）；f16/bf16：普通的半精度导出。常用：int8 或 int4-g32。</translation>
    </message>
    <message>
        <source>&amp;Activations:</source>
        <translation>激活(&amp;A)：</translation>
    </message>
    <message>
        <source>int8: also quantize the Linear inputs (W8A8, simulated) — int8/int4 schemes only. Usually none.</source>
        <translation>int8：同时量化 Linear 的输入（W8A8，模拟）——仅限 int8/int4 方案。通常为 none。</translation>
    </message>
    <message>
        <source>A&amp;dapter:</source>
        <translation>适配器(&amp;D)：</translation>
    </message>
    <message>
        <source>Optional PEFT LoRA adapter folder merged into the model before quantizing (no fidelity check then).</source>
        <translation>可选的 PEFT LoRA 适配器文件夹，在量化前合并进模型（此时不做保真度检查）。</translation>
    </message>
    <message>
        <source>Fidelity check against the float model (optional)</source>
        <translation>与浮点模型对比的保真度检查（可选）</translation>
    </message>
    <message>
        <source>&amp;Test rows:</source>
        <translation>测试行(&amp;T)：</translation>
    </message>
    <message>
        <source>Dataset of {&quot;text&quot;} rows on which the quantized model is compared with the float one (KLD, same top-1, perplexity ratio); empty: no check.</source>
        <translation>由 {&quot;text&quot;} 行组成的数据集，用来比较量化模型与浮点模型（KLD、top-1 一致率、困惑度比）；留空：不检查。</translation>
    </message>
    <message>
        <source>&amp;Window length:</source>
        <translation>窗口长度(&amp;W)：</translation>
    </message>
    <message>
        <source>Tokens per window of the check, ≥ 2 and at most the model&apos;s max_position_embeddings; typical 256–2048.</source>
        <translation>检查时每个窗口的词元数，≥ 2 且不超过模型的 max_position_embeddings；常用 256–2048。</translation>
    </message>
    <message>
        <source>Window st&amp;ride:</source>
        <translation>窗口步长(&amp;R)：</translation>
    </message>
    <message>
        <source>Tokens the window moves by, 1..window length; typical half the window.</source>
        <translation>窗口每次移动的词元数，1..窗口长度；通常为窗口的一半。</translation>
    </message>
    <message>
        <source>Max sam&amp;ples:</source>
        <translation>最多样本数(&amp;P)：</translation>
    </message>
    <message>
        <source>Checks only the first N rows (0: all); typical 100–1000.</source>
        <translation>只检查前 N 行（0：全部）；常用 100–1000。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::QuickPromptBox</name>
    <message>
        <source>&amp;Greedy</source>
        <translation>贪心解码(&amp;G)</translation>
    </message>
    <message>
        <source>Prompt is token &amp;ids</source>
        <translation>提示词为词元 ID(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Prompt text (the model&apos;s tokenizer adds its special tokens)</source>
        <translation>提示词文本（模型的分词器会添加其特殊词元）</translation>
    </message>
    <message>
        <source>Text the selected model continues. Ctrl+Return generates.</source>
        <translation>由所选模型续写的文本。按 Ctrl+Return 生成。</translation>
    </message>
    <message>
        <source>The completion, shown as it is generated.</source>
        <translation>补全结果，边生成边显示。</translation>
    </message>
    <message>
        <source>New tokens at most; generation also ends at the model&apos;s end-of-sequence token. Typical: 32–512.</source>
        <translation>最多生成的新词元数；遇到模型的序列结束符时也会结束生成。通常为 32–512。</translation>
    </message>
    <message>
        <source>Divides the logits before sampling: below 1 sharper, above 1 more varied. Typical: 0.2–1.2. Unused when greedy.</source>
        <translation>采样前用它除 logits：小于 1 分布更集中，大于 1 更多样。通常为 0.2–1.2。贪心解码时不使用。</translation>
    </message>
    <message>
        <source>Nucleus sampling: keep the most likely tokens up to this probability mass; 1 turns it off. Typical: 0.8–0.95. Unused when greedy.</source>
        <translation>核采样：保留概率最高的词元，直到累计概率达到此值；1 表示关闭。通常为 0.8–0.95。贪心解码时不使用。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Keep only the k most likely tokens; 0 turns it off. Typical: 20–100. Unused when greedy.</source>
        <translation>仅保留概率最高的 k 个词元；0 表示关闭。通常为 20–100。贪心解码时不使用。</translation>
    </message>
    <message>
        <source>Makes tokens already in the text less likely (1 off). Typical: 1.0–1.3.</source>
        <translation>降低文本中已出现词元的概率（1 表示关闭）。通常为 1.0–1.3。</translation>
    </message>
    <message>
        <source>Always take the most likely token (deterministic); temperature, top-p and top-k are then unused.</source>
        <translation>始终选择概率最高的词元（确定性）；此时不使用 temperature、top-p 和 top-k。</translation>
    </message>
    <message>
        <source>Read the prompt as comma-separated token ids (like generate --ids), e.g. to reproduce a reference run exactly.</source>
        <translation>将提示词读作以逗号分隔的词元 ID（同 generate --ids），例如用于精确复现参考运行。</translation>
    </message>
    <message>
        <source>Load the selected model (once) and continue the prompt (Ctrl+Return).</source>
        <translation>加载所选模型（仅一次）并续写提示词（Ctrl+Return）。</translation>
    </message>
    <message>
        <source>Stop generating; the text so far stays.</source>
        <translation>停止生成；已生成的文本保留。</translation>
    </message>
    <message>
        <source>Max &amp;new tokens:</source>
        <translation>最大新词元数(&amp;N)：</translation>
    </message>
    <message>
        <source>T&amp;emperature:</source>
        <translation>温度(&amp;E)：</translation>
    </message>
    <message>
        <source>Top-&amp;p:</source>
        <translation>Top-&amp;p：</translation>
    </message>
    <message>
        <source>Top-&amp;k:</source>
        <translation>Top-&amp;k：</translation>
    </message>
    <message>
        <source>&amp;Repetition penalty:</source>
        <translation>重复惩罚(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Prompt:</source>
        <translation>提示词(&amp;P)：</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s); ended at the end-of-sequence token.</source>
        <translation>
            <numerusform>%n 个词元；在序列结束符处结束。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s).</source>
        <translation>
            <numerusform>%n 个词元。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n token(s).</source>
        <translation>
            <numerusform>生成 %n 个词元后已停止。</numerusform>
        </translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>生成失败：%1</translation>
    </message>
    <message>
        <source>Prompt: &quot;%1&quot; is not a token id; give ids separated by commas.</source>
        <translation>提示词：“%1”不是词元 ID；请输入以逗号分隔的 ID。</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message numerus="yes">
        <source>Generating… %n token(s)</source>
        <translation>
            <numerusform>正在生成… %n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a model to prompt it.</source>
        <translation>选择一个模型以向其输入提示词。</translation>
    </message>
    <message>
        <source>Ready: %1</source>
        <translation>就绪：%1</translation>
    </message>
</context>
<context>
    <name>distillery::ui::RaterView</name>
    <message>
        <source>← A is better</source>
        <translation>← A 更好</translation>
    </message>
    <message>
        <source>B is better →</source>
        <translation>B 更好 →</translation>
    </message>
    <message>
        <source>↓ Tie (T)</source>
        <translation>↓ 平局 (T)</translation>
    </message>
    <message>
        <source>Both bad (B)</source>
        <translation>都不好 (B)</translation>
    </message>
    <message>
        <source>Next item after a choice</source>
        <translation>选择后自动进入下一条</translation>
    </message>
    <message>
        <source>Items you have rated / items in the study.</source>
        <translation>已评条目数 / 研究中的条目总数。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Output A (left) is better. Key: Left arrow.</source>
        <translation>输出 A（左）更好。快捷键：左方向键。</translation>
    </message>
    <message>
        <source>Output B (right) is better. Key: Right arrow.</source>
        <translation>输出 B（右）更好。快捷键：右方向键。</translation>
    </message>
    <message>
        <source>Both are about as good. Keys: Down arrow or T.</source>
        <translation>两者差不多好。快捷键：下方向键或 T。</translation>
    </message>
    <message>
        <source>Neither answer is acceptable. Key: B.</source>
        <translation>两个答案都不可接受。快捷键：B。</translation>
    </message>
    <message>
        <source>&amp;Comment (optional)</source>
        <translation>备注（可选）(&amp;C)</translation>
    </message>
    <message>
        <source>Free-text note saved with the rating (Ctrl+Enter saves and moves on).</source>
        <translation>随评分一起保存的自由文本备注（Ctrl+Enter 保存并继续）。</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一条</translation>
    </message>
    <message>
        <source>Back to the previous item (Page Up).</source>
        <translation>返回上一条（Page Up）。</translation>
    </message>
    <message>
        <source>Skip (S)</source>
        <translation>跳过 (S)</translation>
    </message>
    <message>
        <source>Leave this item unrated and go to the next unrated one (S).</source>
        <translation>不评此条，转到下一条未评条目（S）。</translation>
    </message>
    <message>
        <source>Save and next</source>
        <translation>保存并下一条</translation>
    </message>
    <message>
        <source>Store the rating and go to the next unrated item (Ctrl+Enter).</source>
        <translation>保存评分并转到下一条未评条目（Ctrl+Enter）。</translation>
    </message>
    <message>
        <source>Pairwise: go to the next item as soon as a verdict is given (on by default).</source>
        <translation>成对比较：做出判断后立即转到下一条（默认开启）。</translation>
    </message>
    <message>
        <source>Choose a study in the list to rate it.</source>
        <translation>在列表中选择一个研究进行评估。</translation>
    </message>
    <message>
        <source>Enter your name as rater above to start rating.</source>
        <translation>请在上方输入评估者姓名以开始评估。</translation>
    </message>
    <message>
        <source>Weight %1 of the total.</source>
        <translation>占总分的权重为 %1。</translation>
    </message>
    <message>
        <source>Item %1 of %2</source>
        <translation>第 %1 条，共 %2 条</translation>
    </message>
    <message>
        <source>Already rated; changes are saved as you make them.</source>
        <translation>已评；修改会即时保存。</translation>
    </message>
    <message>
        <source>All %1 items rated. Thank you!</source>
        <translation>全部 %1 条均已评完。谢谢！</translation>
    </message>
    <message>
        <source>No unrated item left after the skipped ones: %1 / %2 rated. Page Up goes back.</source>
        <translation>跳过的条目之后已无未评条目：已评 %1 / %2。按 Page Up 返回。</translation>
    </message>
    <message>
        <source>Choose A, B, tie or both bad first.</source>
        <translation>请先选择 A、B、平局或都不好。</translation>
    </message>
    <message>
        <source>Score every criterion first (missing: %1).</source>
        <translation>请先为每个评分标准打分（缺少：%1）。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::RatingPanel</name>
    <message>
        <source>&amp;New study…</source>
        <translation>新建研究(&amp;N)…</translation>
    </message>
    <message>
        <source>Re&amp;veal models…</source>
        <translation>揭晓模型(&amp;V)…</translation>
    </message>
    <message>
        <source>Export &amp;items…</source>
        <translation>导出条目(&amp;I)…</translation>
    </message>
    <message>
        <source>Export ra&amp;tings…</source>
        <translation>导出评分(&amp;T)…</translation>
    </message>
    <message>
        <source>I&amp;mport ratings…</source>
        <translation>导入评分(&amp;M)…</translation>
    </message>
    <message>
        <source>Human rating</source>
        <translation>人工评估</translation>
    </message>
    <message>
        <source>R&amp;ater:</source>
        <translation>评估者(&amp;A)：</translation>
    </message>
    <message>
        <source>your name</source>
        <translation>你的姓名</translation>
    </message>
    <message>
        <source>Who is rating: each rater&apos;s ratings are stored apart (remembered between sessions).</source>
        <translation>当前评估者：每位评估者的评分单独保存（在会话之间保留）。</translation>
    </message>
    <message>
        <source>Create a rubric or blind pairwise study from a JSONL file or an evaluation job.</source>
        <translation>从 JSONL 文件或评估任务创建量表评分研究或盲评成对比较研究。</translation>
    </message>
    <message>
        <source>Show the model names of this study from now on (recorded; cannot be undone).</source>
        <translation>从现在起显示此研究的模型名称（会被记录；无法撤销）。</translation>
    </message>
    <message>
        <source>Save the study&apos;s items as CSV, JSONL or JSON (blinded until revealed).</source>
        <translation>将研究的条目保存为 CSV、JSONL 或 JSON（揭晓前为盲化内容）。</translation>
    </message>
    <message>
        <source>Save every rater&apos;s ratings as CSV, JSONL or JSON.</source>
        <translation>将所有评估者的评分保存为 CSV、JSONL 或 JSON。</translation>
    </message>
    <message>
        <source>Add ratings collected elsewhere (CSV, JSONL or JSON); checked first, all or nothing.</source>
        <translation>添加在别处收集的评分（CSV、JSONL 或 JSON）；先进行校验，要么全部导入，要么全不导入。</translation>
    </message>
    <message>
        <source>The workspace&apos;s studies; choose one to rate it or see its results.</source>
        <translation>工作区中的研究；选择一个进行评估或查看其结果。</translation>
    </message>
    <message>
        <source>&amp;Rate</source>
        <translation>评估(&amp;R)</translation>
    </message>
    <message>
        <source>Res&amp;ults</source>
        <translation>结果(&amp;U)</translation>
    </message>
    <message>
        <source>Study created.</source>
        <translation>研究已创建。</translation>
    </message>
    <message>
        <source>Reveal models</source>
        <translation>揭晓模型</translation>
    </message>
    <message>
        <source>Show which model wrote each output in &quot;%1&quot;? Raters who see the names are no longer blind; the reveal is recorded and cannot be undone.</source>
        <translation>要显示“%1”中每个输出由哪个模型生成吗？看到名称的评估者将不再处于盲评状态；揭晓操作会被记录且无法撤销。</translation>
    </message>
    <message>
        <source>Models revealed.</source>
        <translation>模型已揭晓。</translation>
    </message>
    <message>
        <source>Exported %1 to %2%3.</source>
        <translation>已将%1导出到 %2%3。</translation>
    </message>
    <message>
        <source>the items</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>the ratings</source>
        <translation>评分</translation>
    </message>
    <message>
        <source> (blinded)</source>
        <translation>（盲化）</translation>
    </message>
    <message>
        <source>Imported %1: %2 new, %3 updated, %4 unchanged.</source>
        <translation>已导入 %1：新增 %2 条，更新 %3 条，未变 %4 条。</translation>
    </message>
    <message>
        <source>Nothing imported. %1</source>
        <translation>未导入任何内容。%1</translation>
    </message>
    <message>
        <source>Export items</source>
        <translation>导出条目</translation>
    </message>
    <message>
        <source>Export ratings</source>
        <translation>导出评分</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON lines (*.jsonl);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON Lines (*.jsonl);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Import ratings</source>
        <translation>导入评分</translation>
    </message>
    <message>
        <source>Ratings (*.csv *.jsonl *.json);;All files (*)</source>
        <translation>评分 (*.csv *.jsonl *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;Delete study…</source>
        <translation>删除研究(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete this study with its items and every rater&apos;s ratings (asks first; cannot be undone: export the ratings first to keep them).</source>
        <translation>删除此研究及其条目和所有评分者的评分（会先询问；无法撤销：如需保留，请先导出评分）。</translation>
    </message>
    <message>
        <source>Delete study</source>
        <translation>删除研究</translation>
    </message>
    <message>
        <source>Delete the study &quot;%1&quot;?</source>
        <translation>删除研究“%1”？</translation>
    </message>
    <message numerus="yes">
        <source>Its %1 item(s) and %n rating(s) by %2 rater(s) are deleted from the workspace. This cannot be undone: export the ratings first if you may need them.</source>
        <translation>
            <numerusform>其 %1 个条目以及 %2 位评分者的 %n 条评分将从工作区中删除。此操作无法撤销：如果之后可能需要，请先导出评分。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message numerus="yes">
        <source>Deleted the study &quot;%1&quot; and its %n rating(s).</source>
        <translation>
            <numerusform>已删除研究“%1”及其 %n 条评分。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>distillery::ui::RegressionBar</name>
    <message>
        <source>Set as &amp;baseline</source>
        <translation>设为基线(&amp;B)</translation>
    </message>
    <message>
        <source>The model of this job whose metrics become the task&apos;s baseline.</source>
        <translation>此任务中的模型，其指标将成为该评测任务的基线。</translation>
    </message>
    <message>
        <source>Makes the chosen model&apos;s metrics the baseline of this job&apos;s task (the evaluated dataset); later evaluations of the task are compared with it.</source>
        <translation>将所选模型的指标设为此任务所属评测任务（所评估的数据集）的基线；之后对该评测任务的评估都会与其比较。</translation>
    </message>
    <message>
        <source>A metric more than this far below the baseline, relative to it, is a regression (typical 1–10 %, default 5 %).</source>
        <translation>某指标低于基线的相对幅度超过此值即视为退化（通常为 1–10 %，默认 5 %）。</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>no budget</source>
        <translation>无预算</translation>
    </message>
    <message>
        <source>Flags a model whose p99 time to the first token exceeds this many milliseconds (0: not checked; typical 100–2000 ms).</source>
        <translation>标记 p99 首词元时间超过此毫秒数的模型（0：不检查；通常为 100–2000 ms）。</translation>
    </message>
    <message>
        <source>Baseline &amp;model:</source>
        <translation>基线模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Regression &amp;threshold:</source>
        <translation>退化阈值(&amp;T)：</translation>
    </message>
    <message>
        <source>p99 &amp;latency budget:</source>
        <translation>p99 延迟预算(&amp;L)：</translation>
    </message>
    <message>
        <source>No baseline for task %1 yet: set one to be warned of regressions.</source>
        <translation>评测任务 %1 尚无基线：设置一个基线即可在出现退化时收到警告。</translation>
    </message>
    <message>
        <source>baseline: model %1 of job %2</source>
        <translation>基线：任务 %2 的模型 %1</translation>
    </message>
    <message>
        <source>No regression against the baseline of task %1 (%2).</source>
        <translation>相对于评测任务 %1 的基线（%2）没有退化。</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>退化</translation>
    </message>
</context>
<context>
    <name>distillery::ui::ResultsView</name>
    <message>
        <source>&amp;Bootstrap rounds:</source>
        <translation>Bootstrap 轮数(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Recompute</source>
        <translation>重新计算(&amp;R)</translation>
    </message>
    <message>
        <source>Compute the results again from the ratings stored now.</source>
        <translation>根据当前保存的评分重新计算结果。</translation>
    </message>
    <message>
        <source>Each model&apos;s score with its bootstrap interval.</source>
        <translation>各模型的得分及其 bootstrap 区间。</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Head to head</source>
        <translation>两两对战</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致性</translation>
    </message>
    <message>
        <source>Correlation with metrics</source>
        <translation>与指标的相关性</translation>
    </message>
    <message>
        <source>Choose a study in the list to see its results.</source>
        <translation>在列表中选择一个研究以查看其结果。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Results could not be computed: %1</source>
        <translation>无法计算结果：%1</translation>
    </message>
    <message>
        <source>Revealed %1.</source>
        <translation>已于 %1 揭晓。</translation>
    </message>
    <message>
        <source>Blinded: models are numbered until the study is revealed.</source>
        <translation>盲化：在研究揭晓前模型以编号显示。</translation>
    </message>
    <message numerus="yes">
        <source>%n rating(s)</source>
        <translation>
            <numerusform>%n 条评分</numerusform>
        </translation>
    </message>
    <message>
        <source>no rater yet</source>
        <translation>尚无评估者</translation>
    </message>
    <message>
        <source>raters: %1</source>
        <translation>评估者：%1</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>条目数</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>评分数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>下限</translation>
    </message>
    <message>
        <source>High</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>SE</source>
        <translation>标准误</translation>
    </message>
    <message>
        <source>Weighted total (%1–%2)</source>
        <translation>加权总分（%1–%2）</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>胜</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>平</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>负</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>都不好</translation>
    </message>
    <message>
        <source>Elo</source>
        <translation>Elo</translation>
    </message>
    <message>
        <source>Elo low</source>
        <translation>Elo 下限</translation>
    </message>
    <message>
        <source>Elo high</source>
        <translation>Elo 上限</translation>
    </message>
    <message>
        <source>BT</source>
        <translation>BT</translation>
    </message>
    <message>
        <source>BT low</source>
        <translation>BT 下限</translation>
    </message>
    <message>
        <source>BT high</source>
        <translation>BT 上限</translation>
    </message>
    <message>
        <source>Battles</source>
        <translation>对战次数</translation>
    </message>
    <message>
        <source>Bradley-Terry (Elo scale)</source>
        <translation>Bradley-Terry（Elo 尺度）</translation>
    </message>
    <message>
        <source>Opponent</source>
        <translation>对手</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>评估项</translation>
    </message>
    <message>
        <source>Cohen κ</source>
        <translation>Cohen κ</translation>
    </message>
    <message>
        <source>Fleiss κ</source>
        <translation>Fleiss κ</translation>
    </message>
    <message>
        <source>Krippendorff α</source>
        <translation>Krippendorff α</translation>
    </message>
    <message>
        <source>Raters</source>
        <translation>评估者数</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Spearman ρ</source>
        <translation>Spearman ρ</translation>
    </message>
    <message>
        <source>Kendall τ</source>
        <translation>Kendall τ</translation>
    </message>
    <message>
        <source>Resamples for the intervals (typical 1000; 0 computes no intervals; more is slower but steadier).</source>
        <translation>计算区间所用的重采样次数（通常为 1000；0 表示不计算区间；次数越多越慢但越稳定）。</translation>
    </message>
    <message>
        <source>Confidence level of the intervals: the central percentile range of the bootstrap values (typical 95%; 90% narrower, 99% wider).</source>
        <translation>区间的置信水平：自助法取值的中心百分位范围（通常为 95%；90% 更窄，99% 更宽）。</translation>
    </message>
    <message>
        <source>Elo K-factor: how far one battle moves the ratings (pairwise studies; Chatbot Arena uses 4; 16–32 for few battles, where ratings must move quickly).</source>
        <translation>Elo K 因子：一次对战使评分变动的幅度（成对比较研究；Chatbot Arena 使用 4；对战较少、评分需快速变动时用 16–32）。</translation>
    </message>
    <message>
        <source>Elo starting rating; the Bradley-Terry ratings are centred on it (pairwise studies; typical 1000, or 1500 as in chess).</source>
        <translation>Elo 初始评分；Bradley-Terry 评分以此为中心（成对比较研究；通常为 1000，或如国际象棋用 1500）。</translation>
    </message>
    <message>
        <source>ordinal</source>
        <translation>定序</translation>
    </message>
    <message>
        <source>interval</source>
        <translation>定距</translation>
    </message>
    <message>
        <source>nominal</source>
        <translation>定类</translation>
    </message>
    <message>
        <source>ratio</source>
        <translation>定比</translation>
    </message>
    <message>
        <source>Krippendorff&apos;s α level for rubric scores: ordinal (scores ranked, the usual choice for 0–3 scales), interval (differences count), nominal (any disagreement counts the same), ratio.</source>
        <translation>评分量表分数的 Krippendorff&apos;s α 测量尺度：定序（分数有顺序，0–3 量表的常用选择）、定距（差值有意义）、定类（任何不一致都同等计算）、定比。</translation>
    </message>
    <message>
        <source>unweighted</source>
        <translation>不加权</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>quadratic</source>
        <translation>二次</translation>
    </message>
    <message>
        <source>Cohen&apos;s κ weights for rubric scores (two raters): unweighted counts exact agreement only; linear or quadratic give partial credit to near scores (quadratic is common).</source>
        <translation>评分量表分数的 Cohen&apos;s κ 权重（两位评分者）：不加权只计完全一致；线性或二次加权对相近分数给予部分认可（二次加权较常用）。</translation>
    </message>
    <message>
        <source>C&amp;onfidence:</source>
        <translation>置信水平(&amp;O)：</translation>
    </message>
    <message>
        <source>Elo &amp;K:</source>
        <translation>Elo K(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Initial rating:</source>
        <translation>初始评分(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;α level:</source>
        <translation>α 尺度(&amp;A)：</translation>
    </message>
    <message>
        <source>κ &amp;weights:</source>
        <translation>κ 权重(&amp;W)：</translation>
    </message>
</context>
<context>
    <name>distillery::ui::RobustnessModel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Perturbation</source>
        <translation>扰动</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>原始</translation>
    </message>
    <message>
        <source>Perturbed</source>
        <translation>扰动后</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Relative</source>
        <translation>相对变化</translation>
    </message>
    <message>
        <source>Perturbed minus clean (absolute), and that change as a share of the clean value.</source>
        <translation>扰动后值减去原始值（绝对值），以及该变化占原始值的比例。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::SchedulePreview</name>
    <message>
        <source>τ (left axis) and α (right axis) at each optimizer step, as the distillation loss will use them.</source>
        <translation>每个优化器步的 τ（左轴）和 α（右轴），即蒸馏损失实际使用的值。</translation>
    </message>
    <message>
        <source>τ (temperature)</source>
        <translation>τ（温度）</translation>
    </message>
    <message>
        <source>α (CE weight)</source>
        <translation>α（CE 权重）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>τ</source>
        <translation>τ</translation>
    </message>
    <message>
        <source>α</source>
        <translation>α</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>无法预览：%1</translation>
    </message>
</context>
<context>
    <name>distillery::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>All usable cores (%1)</source>
        <translation>全部可用核心（%1）</translation>
    </message>
    <message>
        <source>LibTorch compute threads for CPU work. 0 uses every core this process may run on; typical: the number of physical cores.</source>
        <translation>CPU 计算使用的 LibTorch 线程数。0 表示使用本进程可用的全部核心；通常设为物理核心数。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language of the workbench; takes effect at the next start.</source>
        <translation>工作台界面语言；下次启动时生效。</translation>
    </message>
    <message>
        <source>Compute &amp;threads:</source>
        <translation>计算线程(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
</context>
<context>
    <name>distillery::ui::SliceCompareModel</name>
    <message numerus="yes">
        <source>%n sample(s), a small slice</source>
        <translation>
            <numerusform>%n 个样本，切片较小</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n 个样本</numerusform>
        </translation>
    </message>
    <message>
        <source>Slice</source>
        <translation>切片</translation>
    </message>
</context>
<context>
    <name>distillery::ui::SliceCompareView</name>
    <message>
        <source>The dataset field the models&apos; results are broken down by (group, domain, language…).</source>
        <translation>用于细分各模型结果的数据集字段（group、domain、language…）。</translation>
    </message>
    <message>
        <source>The metric compared per slice (accuracies 0–1, BLEU/chrF 0–100, perplexity lower is better).</source>
        <translation>按切片比较的指标（准确率 0–1，BLEU/chrF 0–100，困惑度越低越好）。</translation>
    </message>
    <message>
        <source>Each model&apos;s value per slice, its gap to its own overall value in brackets; each model&apos;s largest gap highlighted, small slices greyed.</source>
        <translation>每个模型在各切片上的值，括号内为其与该模型总体值的差距；突出显示每个模型的最大差距，较小的切片显示为灰色。</translation>
    </message>
    <message>
        <source>Slice b&amp;y:</source>
        <translation>切片依据(&amp;Y)：</translation>
    </message>
    <message>
        <source>Me&amp;tric:</source>
        <translation>指标(&amp;T)：</translation>
    </message>
    <message>
        <source>The evaluated rows have no fields to slice by.</source>
        <translation>评估的行中没有可用于切片的字段。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::SliceTableModel</name>
    <message numerus="yes">
        <source>Only %n sample(s): fewer than %1, too few to judge this slice.</source>
        <translation>
            <numerusform>仅 %n 个样本：少于 %1，样本太少，无法评判此切片。</numerusform>
        </translation>
    </message>
    <message>
        <source>The largest gap of %1 to the overall value among the slices of at least %2 samples.</source>
        <translation>在至少含 %2 个样本的切片中，%1 与总体值的最大差距。</translation>
    </message>
    <message>
        <source>Slice</source>
        <translation>切片</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Value over the slice, and in brackets its gap to the overall value.</source>
        <translation>切片上的值，括号内为其与总体值的差距。</translation>
    </message>
</context>
<context>
    <name>distillery::ui::SliceView</name>
    <message>
        <source>The model whose results are broken down by slice.</source>
        <translation>按切片细分结果的模型。</translation>
    </message>
    <message>
        <source>The dataset field the results are broken down by (group, domain, language…): one row per value; rows without it form the “(missing)” slice.</source>
        <translation>用于细分结果的数据集字段（group、domain、language…）：每个取值一行；缺少该字段的行构成“(missing)”切片。</translation>
    </message>
    <message>
        <source>Slices with fewer samples are greyed as too small to judge and are not candidates for the largest gap. Typically 10–30.</source>
        <translation>样本数少于此值的切片会显示为灰色，视为太小无法评判，且不参与最大差距的比较。通常为 10–30。</translation>
    </message>
    <message>
        <source>Each metric over the slice, its gap to the overall value in brackets; the largest gap of each metric is highlighted.</source>
        <translation>切片上的各项指标，括号内为其与总体值的差距；突出显示每项指标的最大差距。</translation>
    </message>
    <message>
        <source>Accuracy with the prompts perturbed (eval.perturbations) against the clean prompts; drops in red.</source>
        <translation>对提示词施加扰动（eval.perturbations）后的准确率与原始提示词的比较；下降以红色显示。</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Slice &amp;by:</source>
        <translation>切片依据(&amp;B)：</translation>
    </message>
    <message>
        <source>Small &amp;below:</source>
        <translation>小切片阈值(&amp;B)：</translation>
    </message>
    <message>
        <source>This model has no stored samples to break down.</source>
        <translation>此模型没有可细分的已保存样本。</translation>
    </message>
    <message>
        <source>The evaluated rows have no fields to slice by (add e.g. a &quot;group&quot; field to the dataset rows).</source>
        <translation>评估的行中没有可用于切片的字段（例如可在数据集行中添加 &quot;group&quot; 字段）。</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1：%2（%3）</translation>
    </message>
    <message>
        <source>Largest gaps — %1</source>
        <translation>最大差距 — %1</translation>
    </message>
</context>
<context>
    <name>distillery::ui::SplitDialog</name>
    <message>
        <source>Split a dataset</source>
        <translation>划分数据集</translation>
    </message>
    <message>
        <source>T&amp;rain share:</source>
        <translation>训练集占比(&amp;R)：</translation>
    </message>
    <message>
        <source>Share of the rows for training, 0–1; the three shares sum to 1. Typical 0.8–0.95.</source>
        <translation>用于训练的行所占比例，0–1；三个占比之和为 1。通常为 0.8–0.95。</translation>
    </message>
    <message>
        <source>&amp;Validation share:</source>
        <translation>验证集占比(&amp;V)：</translation>
    </message>
    <message>
        <source>Share of the rows for validation during training, 0–1. Typical 0.05–0.1.</source>
        <translation>训练期间用于验证的行所占比例，0–1。通常为 0.05–0.1。</translation>
    </message>
    <message>
        <source>T&amp;est share:</source>
        <translation>测试集占比(&amp;E)：</translation>
    </message>
    <message>
        <source>Share of the rows held out for evaluation, 0–1 (0: no test split). Typical 0.05–0.1.</source>
        <translation>留出用于评估的行所占比例，0–1（0：不划分测试集）。通常为 0.05–0.1。</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>随机种子(&amp;S)：</translation>
    </message>
    <message>
        <source>Shuffle seed: the same seed and input give the same splits. Default 0.</source>
        <translation>打乱顺序的随机种子：相同的随机种子和输入得到相同的划分。默认 0。</translation>
    </message>
    <message>
        <source>Stra&amp;tify by:</source>
        <translation>分层依据(&amp;T)：</translation>
    </message>
    <message>
        <source>A field whose values (a label, a source) are each split by the ratios, so every split holds them in the same proportions; none: one shuffle of all rows.</source>
        <translation>按比例分别划分该字段的每个取值（标签、来源等），使每个划分中各取值的比例相同；无：对所有行整体打乱一次。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Rows at least this similar (Jaccard of character 5-grams, strictly between 0 and 1) land in the same split, so near duplicates never leak from train into test. Typical 0.8–0.95 (default 0.9).</source>
        <translation>相似度至少为此值（字符 5-gram 的 Jaccard 相似度，严格介于 0 和 1 之间）的行会被分到同一划分，使近似重复项不会从训练集泄漏到测试集。通常为 0.8–0.95（默认 0.9）。</translation>
    </message>
    <message>
        <source>Compared &amp;field:</source>
        <translation>比较字段(&amp;F)：</translation>
    </message>
    <message>
        <source>the row&apos;s text by its schema</source>
        <translation>按行格式取得的文本</translation>
    </message>
    <message>
        <source>The string field near duplicates are found by; empty: the row&apos;s text by its schema.</source>
        <translation>用于查找近似重复项的字符串字段；留空：按行格式取得的文本。</translation>
    </message>
    <message>
        <source>data_op.ratios: %1 + %2 + %3 = %4; the train, validation and test shares must sum to 1</source>
        <translation>data_op.ratios：%1 + %2 + %3 = %4；训练集、验证集和测试集占比之和必须为 1</translation>
    </message>
</context>
<context>
    <name>distillery::ui::StudyListModel</name>
    <message>
        <source>Model names stay hidden until the study is revealed.</source>
        <translation>在研究揭晓前模型名称保持隐藏。</translation>
    </message>
    <message>
        <source>rubric</source>
        <translation>量表评分</translation>
    </message>
    <message>
        <source>pairwise</source>
        <translation>成对比较</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s), hidden</source>
        <translation>
            <numerusform>%n 个模型，已隐藏</numerusform>
        </translation>
    </message>
    <message>
        <source>Study</source>
        <translation>研究</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>条目数</translation>
    </message>
    <message>
        <source>Raters</source>
        <translation>评估者数</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>评分数</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
</context>
</TS>
