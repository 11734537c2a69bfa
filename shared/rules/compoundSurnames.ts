// Two-character family names (复姓) in common use, in simplified and, where it differs, traditional
// form (applicants from Hong Kong, Macau and Taiwan). Data for maskName: a listed name keeps both
// characters ('欧阳**'); anything else keeps one. A name missing here is masked more, never less.
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙',
  '宇文', '司徒', '夏侯', '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '百里',
  '呼延', '万俟', '闻人', '澹台', '公冶', '宗政', '濮阳', '淳于', '单于', '太叔',
  '申屠', '钟离', '赫连', '第五', '公羊', '东郭', '左丘', '东门', '梁丘', '拓跋',
  '司空', '司寇', '羊舌', '微生', '公良', '乐正', '谷梁', '宰父', '夹谷', '巫马',
  '漆雕', '壤驷', '公西', '仲孙', '叔孙', '亓官', '鲜于', '闾丘', '子车', '颛孙',
  '段干', '哥舒', '完颜', '耶律', '公输', '东野', '即墨', '苍梧', '钟吾', '陈留',
  // Traditional forms
  '歐陽', '司馬', '諸葛', '東方', '尉遲', '公孫', '長孫', '軒轅', '獨孤', '南宮',
  '西門', '聞人', '澹臺', '濮陽', '單于', '鍾離', '赫連', '東郭', '東門', '樂正',
  '穀梁', '壤駟', '仲孫', '叔孫', '鮮于', '閭丘', '子車', '顓孫', '東野',
]);
