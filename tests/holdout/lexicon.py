"""Words the held-out world is made of: South African towns, people, practice and co-operative names."""

from __future__ import annotations

# Town -> (canonical province, landline area code). Area codes are the real ones, so numbers parse.
TOWNS: dict[str, tuple[str, str]] = {}
_BY_PROVINCE = {
    "Gauteng": "Randburg 011, Roodepoort 011, Benoni 011, Boksburg 011, Germiston 011, Midrand 011, Centurion 012, "
               "Pretoria 012, Soshanguve 012, Vereeniging 016, Vanderbijlpark 016, Heidelberg 016, Krugersdorp 011, "
               "Fourways 011, Bryanston 011, Kempton Park 011, Springs 011, Brakpan 011, Magaliesburg 014, "
               "Cullinan 012, Bronkhorstspruit 013",
    "KwaZulu-Natal": "Durban 031, Pietermaritzburg 033, Hillcrest 031, Ballito 032, Umhlanga 031, Richards Bay 035, "
                     "Empangeni 035, Howick 033, Ladysmith 036, Newcastle 034, Estcourt 036, Kokstad 039, "
                     "Port Shepstone 039, Margate 039, Vryheid 034, Greytown 033, Eshowe 035, Amanzimtoti 031, "
                     "Westville 031, Pinetown 031",
    "Western Cape": "Cape Town 021, Stellenbosch 021, Paarl 021, Somerset West 021, Durbanville 021, Worcester 023, "
                    "George 044, Knysna 044, Mossel Bay 044, Oudtshoorn 044, Hermanus 028, Caledon 028, "
                    "Swellendam 028, Malmesbury 022, Vredenburg 022, Robertson 023, Ceres 023, Franschhoek 021, "
                    "Plettenberg Bay 044, Beaufort West 023, Piketberg 022, Clanwilliam 027",
    "Eastern Cape": "Gqeberha 041, East London 043, Makhanda 046, Port Alfred 046, Queenstown 045, Mthatha 047, "
                    "Graaff-Reinet 049, Cradock 048, Jeffreys Bay 042, Humansdorp 042, Uitenhage 041, "
                    "Aliwal North 051, Somerset East 042, Stutterheim 043, King William's Town 043",
    "Free State": "Bloemfontein 051, Bethlehem 058, Harrismith 058, Kroonstad 056, Welkom 057, Parys 056, "
                  "Ficksburg 051, Ladybrand 051, Frankfort 058, Senekal 058, Reitz 058, Bothaville 056, Vrede 058",
    "Northern Cape": "Kimberley 053, Upington 054, Springbok 027, De Aar 053, Kuruman 053, Calvinia 027, "
                     "Prieska 053, Colesberg 051",
    "Limpopo": "Polokwane 015, Tzaneen 015, Mokopane 015, Thabazimbi 014, Bela-Bela 014, Modimolle 014, "
               "Louis Trichardt 015, Phalaborwa 015, Lephalale 014, Musina 015",
    "Mpumalanga": "Mbombela 013, White River 013, Middelburg 013, eMalahleni 013, Ermelo 017, Secunda 017, "
                  "Standerton 017, Lydenburg 013, Barberton 013, Piet Retief 017, Hazyview 013, Malelane 013",
    "North West": "Rustenburg 014, Potchefstroom 018, Klerksdorp 018, Mahikeng 018, Brits 012, Lichtenburg 018, "
                  "Zeerust 018, Vryburg 053, Hartbeespoort 012, Schweizer-Reneke 053, Wolmaransstad 018",
}
for _province, _text in _BY_PROVINCE.items():
    for _item in _text.split(", "):
        _town, _code = _item.rsplit(" ", 1)
        TOWNS[_town] = (_province, _code)
PROVINCES = list(_BY_PROVINCE)

# How people write each province, besides its canonical name (weights are in typed.py).
PROVINCE_SPELLINGS = {
    "Gauteng": ["GP", "Gauteng ", "gauteng", "GAUTENG", "GT", "Gau"],
    "KwaZulu-Natal": ["KZN", "Kwa-Zulu Natal", "KwaZulu Natal", "Kwazulu-Natal", "K.Z.N.", "Kzn", "Natal"],
    "Western Cape": ["W. Cape", "W Cape", "WC", "W/Cape", "Western Cape Province", "western cape"],
    "Eastern Cape": ["E.Cape", "E Cape", "EC", "E. Cape", "E/Cape", "Eastern Cape Province"],
    "Northern Cape": ["N. Cape", "N Cape", "NC", "N.Cape", "Northern Cape Province"],
    "Free State": ["FS", "OFS", "Freestate", "Free State Province", "free state"],
    "Limpopo": ["LP", "LIM", "Limpopo Province", "LIMPOPO"],
    "Mpumalanga": ["MP", "Mpumalanga Province", "MPU", "mpumalanga"],
    "North West": ["NW", "North-West", "North West Province", "N.W."],
}

MOBILE_PREFIXES = ["060", "061", "062", "063", "066", "071", "072", "073", "074", "076", "078", "079",
                   "081", "082", "083", "084"]
SHARECALL_PREFIXES = ["0860", "0861"]

SURNAMES = ("Botha, van der Merwe, Nkosi, Naidoo, Pillay, Dlamini, Mokoena, Smith, Jacobs, Pretorius, Venter, "
            "du Plessis, Khumalo, Ndlovu, Mahlangu, Coetzee, Fourie, Nel, Kruger, Steyn, Swanepoel, Joubert, "
            "Mthembu, Govender, Reddy, Moodley, Chetty, Maharaj, Williams, Johnson, Brown, Jones, Taylor, Wilson, "
            "Adams, Petersen, Hendricks, Abrahams, Isaacs, Daniels, Mkhize, Zulu, Sithole, Ngcobo, Cele, "
            "Shabalala, Molefe, Mofokeng, Modise, Sibiya, Baloyi, Mathebula, Maluleke, Chauke, Mabaso, Vilakazi, "
            "Zwane, Radebe, Tshabalala, le Roux, Marais, Louw, Meyer, Muller, Schoeman, Olivier, Viljoen, "
            "Engelbrecht, Erasmus, Bosman, Lombard, de Villiers, de Klerk, Visser, Theron, Hattingh, Oosthuizen, "
            "Vermeulen, Potgieter, Cloete, Strydom, Burger, Badenhorst, Grobler, Wessels, Ferreira, Pieterse, "
            "Rossouw, Bezuidenhout, Snyman, Kotze, Moolman, Barnard, Scholtz, McDonald, O'Brien, Fraser, Murray, "
            "Campbell, Stewart, Patel, Desai, Moosa, Essop, Cassim, Ismail, Ebrahim, Khan, Makhubu, Nxumalo, "
            "Mazibuko, Maseko, Ntuli, Hlongwane, Gumede, Magagula, Sebola, Letsoalo, Ramokgopa, Mashaba").split(", ")
FIRST_NAMES = ("Thandi, Sipho, Johan, Annelie, Pieter, Marike, Lerato, Thabo, Nomvula, Sizwe, Priya, Kavitha, "
               "Ravi, Suresh, Fatima, Yusuf, Aisha, Michelle, David, Sarah, Jacques, Elmarie, Riaan, Chantelle, "
               "Bongani, Zanele, Mpho, Karabo, Tshepo, Palesa, Neo, Kagiso, Ayanda, Lindiwe, Nokuthula, Themba, "
               "Gerhard, Hennie, Sonja, Liesl, Carel, Wynand, Ilse, Tanya, Craig, Bronwyn, Gareth, Megan, Nicole, "
               "Ashwin, Deshen, Keshni, Zaheer, Naledi, Refilwe, Lwazi, Siyabonga, Busisiwe, Andile, Vusi").split(", ")
ROLES = ["Practice Manager", "Principal Veterinarian", "Veterinarian", "Receptionist", "Owner", "Branch Manager",
         "Vet Nurse", "Head Nurse", "Office Manager", "Bookkeeper", "Chairperson", "Secretary", "Treasurer",
         "General Manager", "Sales Rep", "Depot Manager", "Member Liaison", "Director"]
SALUTATIONS = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Prof", "", ""]

# Brand words for practice names. Brands are what two practices in different provinces share by chance.
BRANDS = ["Paws & Claws", "Noah's Ark", "Pets International", "Equine International", "Creature Comforts",
          "Four Paws", "Happy Tails", "Furry Friends",
          "Whiskers & Wags", "Hoof & Horn", "Bushveld", "Lowveld", "Highveld", "Karoo", "Boland", "Overberg",
          "Kalahari", "Sunnyside", "Valley", "Mountain View", "Riverside", "Lakeside", "Hilltop", "Parkview",
          "Acacia", "Protea", "Fynbos", "Baobab", "Marula", "Milkwood", "Yellowwood", "Kingfisher", "Fish Eagle",
          "All Creatures", "Companion Animal", "Country", "Village", "Coastal", "Midlands", "Garden Route",
          "Jacaranda", "Blue Crane", "Oak Tree", "Waterfront", "Sunbird", "Thornhill", "Bluegum", "Aloe Ridge"]

# Afrikaans farm names: prefix + suffix, the cores of most co-operatives and many country practices.
FARM_PREFIXES = ["Riet", "Blou", "Klip", "Wit", "Swart", "Rooi", "Groot", "Klein", "Modder", "Sand", "Doorn",
                 "Leeu", "Olifants", "Bokke", "Kameel", "Hartbees", "Wolwe", "Elands", "Krans", "Mooi", "Nuwe",
                 "Paarde", "Vaal", "Stille", "Suur", "Soet", "Bron", "Hoog", "Geel", "Koedoe", "Skurwe", "Brak"]
FARM_SUFFIXES = ["fontein", "kloof", "dal", "berg", "rivier", "stad", "burg", "vlei", "hoek", "kop", "poort",
                 "drift", "rand", "spruit", "bos", "veld", "laagte", "pan", "kraal", "water", "heuwel"]
# Syllables for further place-like words once the case outgrows the lists (a million rows needs them).
ONSETS = ["", "b", "d", "g", "h", "k", "l", "m", "n", "ng", "nd", "mb", "p", "s", "sh", "t", "th", "v", "w",
          "y", "z", "dl", "hl", "kh", "ph", "tsh", "bh", "nk", "mp"]
VOWELS = ["a", "e", "i", "o", "u"]
PLACE_PREFIXES = ["Kwa", "Ema", "Umu", "Ezi", "Mo", "Ma", "Se", "Le", "Tho", "Ba"]

VET_KINDS = ["Animal Hospital", "Veterinary Clinic", "Veterinary Hospital", "Vet Clinic", "Animal Clinic",
             "Veterinary Practice", "Veterinary Centre", "Animal Care Centre", "Equine Hospital",
             "Veterinary Services", "Pet Clinic", "Vets"]
COOP_KINDS = ["Agricultural Co-operative", "Farmers Co-operative", "Boere Koöperasie", "Landbou Koöperasie",
              "Agri Co-op", "Wool Growers Co-operative", "Dairy Co-operative", "Grain Co-operative",
              "Agricultural Services", "Farmers Association", "Farm Management Services"]
# What a clerk writes instead of the kind word, same organisation (added, dropped, swapped).
VET_KIND_SWAPS = ["Vet", "Vets", "Veterinary Clinic", "Animal Hospital", "Vet Clinic", "Animal Clinic",
                  "Veterinary Practice", "Veterinary Hospital", "Veterinarians"]
COOP_KIND_SWAPS = ["Co-op", "Agri", "Agricultural Co-operative", "Farmers Co-op", "Koöperasie", "Ko-op",
                   "Boere Ko-op", "Cooperative"]

VET_LEGAL = ["(Pty) Ltd", "Inc", "CC", "Incorporated"]
COOP_LEGAL = ["Ltd", "Limited", "(Pty) Ltd", "Co-operative Limited", "NPC"]
# Each legal form as clerks type it.
LEGAL_SPELLINGS = {
    "(Pty) Ltd": ["(Pty) Ltd", "PTY LTD", "(PTY) LTD", "Pty Ltd", "(Pty) Ltd.", "Proprietary Limited",
                  "(Proprietary) Limited", "pty ltd", "(Pty)Ltd"],
    "Inc": ["Inc", "Inc.", "INC", "Incorporated"],
    "Incorporated": ["Incorporated", "Inc", "Inc."],
    "CC": ["CC", "cc", "C.C.", "Close Corporation"],
    "Ltd": ["Ltd", "Ltd.", "LTD", "Limited"],
    "Limited": ["Limited", "Ltd", "LIMITED"],
    "Co-operative Limited": ["Co-operative Limited", "Co-op Ltd", "Cooperative Ltd"],
    "NPC": ["NPC", "(RF) NPC", "N.P.C.", "Non Profit Company"],
}
OWNER_WORDS = {"vet": ["Holdings", "Investments", "Practice Management", "International", "Vet Management",
                       "Veterinary Holdings"],
               "coop": ["Holdings", "Beleggings", "Group", "Trust", "Investments", "Agri Holdings"]}

# Abbreviation by truncation: the long word and how it is cut, with or without a dot.
ABBREVIATIONS = {
    "Hospital": ["Hosp.", "Hosp"], "Veterinary": ["Vet.", "Vet", "Veter."], "Clinic": ["Clin", "Clin."],
    "Centre": ["Ctr", "Ctr.", "Cntr"], "Services": ["Svcs", "Svcs.", "Serv."], "International": ["Intl", "Int'l"],
    "Management": ["Mgmt", "Mngt"], "Agricultural": ["Agric", "Agric.", "Agri"], "Co-operative": ["Co-op", "Coop"],
    "Association": ["Assoc.", "Assn"], "Koöperasie": ["Koöp", "Koop"], "Practice": ["Prac.", "Pract"],
    "Investments": ["Invest.", "Inv"], "Holdings": ["Hldgs", "Hold."], "Mountain": ["Mtn"],
    "Growers": ["Grwrs"], "Farmers": ["Frmrs"], "Animal": ["Anim."],
}

CHAIN_BRANDS = ["PawsPlus", "VetNet", "Medivet SA", "PetCare International", "Animal Health International",
                "AnimalCare Group", "PetMed", "Agrimark", "Vetcare",
                "CountryVet", "Platinum Vets", "Landbou Sentraal", "Suidvee", "AgriHub", "PetWise", "VetOne"]

FREE_MAIL = ["gmail.com", "yahoo.co.za", "yahoo.com", "webmail.co.za", "mweb.co.za", "telkomsa.net",
             "vodamail.co.za", "hotmail.com", "outlook.com", "icloud.com", "lantic.net"]
DIRECTORY_HOSTS = ["findavet.co.za", "agrilink.co.za", "facebook.com", "yellowpages-sa.co.za", "petlistings.co.za"]
TLDS = ["co.za", "co.za", "co.za", "com", "org.za", "net"]

STREETS = ["Church", "Main", "Voortrekker", "Market", "Station", "Long", "Kerk", "Hospital", "Victoria", "Jan Smuts",
           "Nelson Mandela", "Oak", "Union", "Commissioner", "Pretorius", "Paul Kruger", "Mill", "Park", "Beach",
           "High", "Fitzpatrick", "Old Main", "Bree", "Loop", "Impala", "Protea", "Acacia", "Somerset", "Durban"]
STREET_KINDS = {"Street": ["St", "St.", "Str", "Street"], "Road": ["Rd", "Rd.", "Road"],
                "Avenue": ["Ave", "Ave.", "Avenue", "Av"], "Drive": ["Dr", "Drive", "Dr."]}
CATEGORIES = ["Small animal", "Mixed practice", "Equine", "Large animal", "Exotics", "Production animal",
              "Small Animal", "mixed", "Wildlife"]
STATUSES = ["Called", "No answer", "Interested", "Follow up", "Not interested", "Left message", "Emailed",
            "Wrong number", "Meeting booked", ""]
NOTES = ["Left voicemail", "Call back after 2pm", "Wants brochure", "Spoke to reception", "Closed on Saturdays",
         "New owner since March", "Send quote", "Busy - try again", "Emergency line only after hours", ""]
PLACEHOLDERS = ["-", "n/a", "TBD", "- -", "N/A", "none", "?", "--", "tba", "Unknown"]
