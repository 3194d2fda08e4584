import json,sys,collections,re,datetime
# usage: win.py file.json startMs endMs
f,s,e=sys.argv[1],int(sys.argv[2]),int(sys.argv[3])
ev=json.load(open(f))['recording']['events']
tot=collections.Counter(); n=collections.Counter(); by=collections.defaultdict(float); cnt=collections.Counter()
for x in ev:
    v=x['values']; t=datetime.datetime.fromisoformat(v['startTime'].replace('Z','+00:00')).timestamp()*1000
    if not (s<=t<=e): continue
    m=re.match(r'PT([\d.]+)S',v['duration']); d=float(m.group(1))*1000 if m else 0
    tot[v['compiler']]+=d; n[v['compiler']]+=1
    if v['compiler']=='c2':
        name=v['method']['type']['name']+'.'+v['method']['name']; by[name]+=d; cnt[name]+=1
print(f, dict(n), {k:round(v) for k,v in tot.items()})
for k,v in sorted(by.items(), key=lambda x:-x[1])[:int(sys.argv[4]) if len(sys.argv)>4 else 20]: print('  %7.1f ms %d x %s'%(v,cnt[k],k))
