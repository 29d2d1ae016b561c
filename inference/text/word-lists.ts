/**
 * Word lists that tell the three languages apart where letters do not: English words (kept in
 * Latin script by the normaliser), Kazakh words that are often typed without Kazakh letters
 * ("калай", "керек", "рахмет"), and common Russian words. Kazakh and Russian lists are written
 * in Cyrillic; Latin-script messages are matched against them after transliteration and folding.
 * Space-separated strings keep the lists compact; they are split once at load.
 */

/** Common English words, question words and the vocabulary of public services. */
export const ENGLISH_WORDS = `
a about above after again against ago all almost along already also although always am among an
and another any anybody anyone anything anywhere are around as ask asked asking at away back bad
be became because become been before behind being below best better between big both bring but
buy by bye call called can cannot cant could couldnt day days did didnt do does doesnt doing done
dont down during each early easy either else enough even ever every everyone everything example
far fast few find first for found from full further get gets getting give given go goes going gone
good got great had has hasnt have havent having he hello help her here hers hey hi him his how
however i id if im in instead into is isnt it its itself ive just keep kind know known last late
later least leave less let like little long look looking lot lots made make many may maybe me mean
means might mine more most much must my myself need needed needs never new next nice no none nor
not nothing now of off often oh ok okay old on once one only or other others our ours out over own
please put quite rather really right said same say see seem send sent she should shouldnt show
since so some someone something sometimes soon sorry still such sure take taken tell than thank
thanks that thats the their theirs them then there these they thing things think this those though
through thus till to today together tomorrow too took try trying under until up upon us use used
using very via want wanted wants was wasnt way we well went were what whats when where whether
which while who whom whose why will with within without wont would wouldnt yes yet you your yours
yourself youre yesterday morning evening afternoon night week weeks month months year years hour
hours minute minutes time times date dates daily weekly monthly yearly number numbers two three
four five six seven eight nine ten hundred thousand million first second third half
welcome goodbye greetings dear sir madam mr mrs ms thankyou thx pls plz lol yeah yep nope hmm
apply applied applies application applications applicant register registered registering
registration certificate certificates document documents paper papers passport passports identity
card cards phone telephone mobile email mail address addresses office offices center centre centers
government state public service services online internet website site portal app application
sign signature digital electronic key keys password login logon account code sms message messages
pension pensions pensioner retirement retired benefit benefits allowance allowances payment
payments pay paid paying fee fees tax taxes taxpayer fine fines penalty penalties license licence
licenses driver drivers driving car cars vehicle vehicles plate plates birth born baby babies
child children kid kids family families marriage married marry wedding divorce divorced death
died dead deceased funeral school schools kindergarten nursery university college student students
exam exams test tests grant grants scholarship diploma degree education hospital clinic clinics
doctor doctors medical medicine health insurance job jobs work working worker workers unemployed
unemployment employment employer salary wage wages army military service soldier land house houses
home apartment flat flats housing rent rental property business businesses company companies
entrepreneur individual legal court courts police visa visas foreign foreigner foreigners citizen
citizens citizenship residence resident residents permit permits migration immigrant deadline
cost costs free price prices status check checking track lost stolen replace replacement renew
renewal renewing expired expire expires expiry issue issued issuing receive received obtain
submit submitted request requests requested form forms requirement requirements required
necessary list copy copies original notary photo photos translation translate language languages
english russian kazakh kazakhstan city cities region regions village street country abroad travel
operator human person people agent speak talk talking chat reply answer answers support assistance
question questions problem problems information info detail details appointment queue booking book
booked schedule open opening close closed closing working hours weekend holiday holidays mother
father parent parents wife husband son daughter brother sister disability disabled disease sick
sickness leave maternity pregnant pregnancy adoption adopt guardian guardianship orphan social
poor poverty assistance subsidy subsidies loan loans mortgage bank banks account accounts money
cash transfer income utility utilities electricity gas water heating bill bills debt debts
court lawyer complaint complaints claim claims appeal report statement police crime fraud
vaccination vaccine vaccines covid test doctor appointment prescription medicines pharmacy
ambulance emergency exam entrance admission enrollment enrol enroll grade class teacher textbook
military draft conscription deferment veteran veterans land plot building construction permit
cadastre real estate ownership owner owners sale sell selling buy buying bought inheritance will
notarized apostille legalization legalisation recognition diploma transcript residence permanent
temporary stay exit entry border customs import export vehicle registration inspection plate
number insurance accident traffic violation speeding camera parking
man men woman women boy girl friend friends work works worked home here there
cafe file files photo video news email online offline upload download print printed
`;

/**
 * Kazakh words that identify Kazakh even without Kazakh letters once folded (қалай → калай).
 * Loanwords shared with Russian (паспорт, документ) are deliberately absent.
 */
export const KAZAKH_CUES = `
сәлем сәлеметсіз сәлеметсіздер сәлеметсізбе салам ассалаумағалейкум рахмет рақмет рахмеь кеш
қайырлы таң күн қош сау болыңыз жақсы жаман
қалай қайда қашан қандай қанша неше неге немене кім кімге кімнің қай қайсы қайдан қайда
иә ия жоқ бар бар ма жоқ па жарайды жарар мақұл түсіндім түсінікті түсінбедім білмеймін
керек қажет болады болмайды бола болса болып болған болар бола ма мүмкін мүмкін бе
ма ме ба бе па пе ғой ғана
мен сен сіз біз ол олар менің сенің сіздің біздің оның олардың маған саған сізге бізге оған
мені сені сізді бізді оны өзім өзіңіз өз
осы сол бұл мына ана анау мынау осында сонда мұнда қазір бүгін ертең кеше енді әлі тағы
және немесе бірақ емес үшін туралы бойынша арқылы кейін дейін бері соң алдын бірге сияқты
алу алуға аламын аламыз алам алсам алдым алдық алайын алғым алады аласыз алыңыз алып
беру беріңіз береді беріп бердім бересіз жасау жасату жасаймын жасадым жасаған
ауыстыру ауыстыру тіркеу тіркелу тіркеуге тіркелген тіркеуден шығу шығару шығарып
төлеу төлем төледім төлейді тексеру білу білгім білейін келеді келді келу бару барамын бардым
баруға барсам жатыр жүр тұр отыр істеу істеймін істеу көмек көмектесіңіз көмектесу көмектесші
өтініш өтінім анықтама анықтаманы құжат құжаттар құжатты куәлік куәлігі куәлігін жеке
төлқұжат төлқұжатты зейнетақы зейнеткер жәрдемақы жәрдемақыны жұмыс жұмыссыз жұмысқа
бала балалар балам баламның балаға баланың ана әке әйел күйеу ері отбасы ата әже
үй үйім пәтер пәтерге жер көлік мектеп мектепке балабақша балабақшаға емхана емханаға аурухана
дәрігер дәрігерге салық айыппұл айыппұлды неке некені ажырасу туу туған туылған туды қайтыс
өлім әскер әскерге ақша тегін ақылы мерзім мерзімі уақыт кезек кезекке мекенжай қала ауыл
облыс аудан мемлекеттік қызмет қызметі қызметтер орталық орталығы халыққа көрсету
электрондық цифрлық қолтаңба жоғалттым жоғалып жоғалту ұрлап ұрланды жаңа ескі қайта өте
дұрыс қате адам маман сұрақ жауап айтыңызшы айтып айтшы айтыңыз қосыңыз қосу кіру ашу
жабу тоқтату ұзарту жаңарту қалпына келтіру тастау сатып сату жалға тұру тұрақты уақытша шетел
шетелге шетелден азамат азаматтық әлеуметтік мүгедек мүгедектік жұмыспен қамту еңбек жалақы
демалыс оқу оқушы оқуға жоғары білім тіл қазақ қазақша орысша ағылшынша
сәби нәресте жүкті жүктілік босану асырап асырау көп балалы алқа жастар зейнет жасы
сырқат ауру денсаулық дәрі дәріхана емдеу тіркеуге тұрғылықты мекенжайы тұрғын
сот шағым арыз полиция ішкі істер
`;

/** Common Russian words, including frequent inflected forms. */
export const RUSSIAN_CUES = `
привет здравствуйте здравствуй здрасте добрый доброе доброй день вечер утро спасибо благодарю
пожалуйста пожалуста да нет ок хорошо ладно понятно понял поняла ясно извините простите
как где когда что чтобы кто почему зачем какой какая какие какое каких сколько куда откуда
можно нужно надо нужен нужна нужны хочу хотел хотела хотим могу может можете могут
мне меня мой моя мои моего моей моему мое нам нас наш наша ваш ваша вам вас вы ты тебе тебя
я он она они мы его ее их ему ей им
в во на с со по за из от до для о об про при без через под над между у к ко
и или но а не ни же ли бы то это этот эта эти тот та те так там тут здесь уже еще очень все всё
весь вся всех есть был была было были будет будут быть нет ничего что-то кто-то
получить получение получил получила оформить оформление оформил сделать сделал сделала
заменить замена восстановить восстановление узнать проверить подать подача подал заявление
заявку справка справку справки справок документ документы документов паспорт паспорта
удостоверение удостоверения личности свидетельство свидетельства рождении рождения рождение
брака брак смерти смерть пенсия пенсию пенсии пособие пособия выплата выплаты выплату налог
налоги налога штраф штрафы штрафа работа работу работы работе ребенок ребенка ребенку детей дети
сын дочь мама папа муж жена семья семьи квартира квартиру дом дома земля землю машина машину
автомобиль права водительские больница больницу поликлиника поликлинику врач врача школа школу
садик детский сад университет учеба армия армию военкомат регистрация регистрацию прописка
прописку адрес город село область район срок сроки дней день месяц год лет время очередь
бесплатно стоимость стоит платно оплатить оплата онлайн портал приложение помогите помочь
помощь помощи оператор оператора человек человеком консультант специалист вопрос ответ
потерял потеряла утерян утеряно украли новый новую новое старый истек истекает действия
гражданин гражданство иностранец льготы инвалидность инвалид социальная безработный
безработица увольнение зарплата отпуск декрет беременность материнство многодетная мать отец
если чем чем-то тоже также только уже вот сейчас сегодня завтра вчера потом после перед
делать делаю сделать сделаю нужно ли можно ли подскажите скажите объясните расскажите
`;
