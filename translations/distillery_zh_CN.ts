<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <translation><numerusform>可用，%n 个设备</numerusform></translation>
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
        <translation><numerusform>%n 个 GPU</numerusform></translation>
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
    <name>distillery::ui::PanelPage</name>
    <message>
        <source>Nothing here yet in this workspace.</source>
        <translation>此工作区中暂无内容。</translation>
    </message>
    <message>
        <source>Open or create a workspace to begin.</source>
        <translation>请打开或创建一个工作区。</translation>
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
</TS>
